#pragma once
// UpstreamUrl: an endpoint URL split the way the transport needs it, with the scheme rule of
// docs/interface.md "Endpoint URLs": https:// anywhere, http:// only to a loopback host as common/loopback_host.h
// defines it — the same function the config loader and the OAuth client ask.

#include <cstdint>
#include <string>

#include "common/loopback_host.h"
#include "common/result.h"

namespace wpe {

struct UpstreamUrl {
  std::string scheme;        // "https" | "http"
  std::string host;          // without IPv6 brackets
  std::uint16_t port = 0;    // explicit or the scheme's default
  std::string pathAndQuery;  // at least "/"

  // BadRequest when the URL is not absolute, has another scheme, has a host that is not a
  // DNS name or IP address (common/url_host.h), or is http:// to a non-loopback host (the
  // message names the URL and says to use https://).
  static Result<UpstreamUrl> parse(const std::string& url);

  bool secure() const { return scheme == "https"; }
};

}  // namespace wpe
