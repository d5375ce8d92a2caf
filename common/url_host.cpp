#include "common/url_host.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

namespace wpe {
namespace {

bool isLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

bool isDnsName(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (const char c : host) {
    if (c == '.') {
      if (label == 0) return false;  // "a..b", ".a"
      label = 0;
    } else if (isLabelChar(c) && ++label <= 63) {
      continue;
    } else {
      return false;
    }
  }
  return label > 0;
}

}  // namespace

bool isUrlHost(std::string_view host) {
  if (host.find(':') != std::string_view::npos) {
    // Only an IPv6 literal has a ':' in its host; inet_pton refuses zone ids and junk.
    const std::string text(host);
    in6_addr v6{};
    return host.find('\0') == std::string_view::npos &&
           inet_pton(AF_INET6, text.c_str(), &v6) == 1;
  }
  // A dotted quad is also a DNS name by its characters; both are fine as hosts.
  return isDnsName(host);
}

}  // namespace wpe
