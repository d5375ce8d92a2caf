#pragma once
// Percent-encoding for OAuth requests: query strings of the authorize URL and
// application/x-www-form-urlencoded bodies (RFC 6749 appendix B). Only the unreserved set
// (A-Z a-z 0-9 - . _ ~) passes unencoded. Free functions; thread-safe.

#include <string>
#include <string_view>

namespace wpe {

// Percent-encodes every byte outside the unreserved set (space becomes %20).
std::string percentEncode(std::string_view text);

// application/x-www-form-urlencoded: like percentEncode, but space becomes '+'.
std::string formEncode(std::string_view text);

// `endpoint` with `params` (already encoded, "a=1&b=2") added to its query, keeping the query
// it has (RFC 6749 §3.1): after '?' when it has none, after '&' when it has one, and directly
// when it already ends in '?' or '&'. An endpoint carries no fragment (the config refuses it).
std::string withQuery(const std::string& endpoint, std::string_view params);

}  // namespace wpe
