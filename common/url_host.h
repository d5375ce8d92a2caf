#pragma once
// The one rule for what an endpoint URL's host may be (docs/security.md rule 11 is the
// loopback part of it). Poco::URI splits a URL but does not check its host: it hands over
// "[\x97 1" from "https://[[\x97 1]" as a host. The config loader and the upstream transport
// both ask this function, so a URL one accepts the other never refuses.
//
// A host is one of:
//   - a DNS name: dot-separated labels of 1–63 letters, digits, '-' or '_', at most 253
//     characters, an optional final dot (punycode for international names);
//   - an IPv4 address as a dotted quad;
//   - an IPv6 address, given without its URL brackets (Poco::URI removes them), no zone id.
// Nothing else: no spaces, no '%', no brackets, no control or non-ASCII bytes.

#include <string_view>

namespace wpe {

bool isUrlHost(std::string_view host);

}  // namespace wpe
