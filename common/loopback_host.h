#pragma once
// The one rule for which hosts count as loopback, the only hosts plain http:// may go to
// (docs/security.md rule 11). The config loader (api_url, authorize_url,
// token_url, revoke_url), the upstream transport and the OAuth client all ask this function,
// so a URL the config accepts is never refused later by a client, or the other way round.
//
// Loopback is:
//   - an IPv4 address in 127.0.0.0/8, written as a dotted quad (127.0.0.1, 127.1.2.3);
//   - the IPv6 address ::1, and IPv4-mapped ::ffff:127.x.y.z;
//   - the name "localhost", any case (RFC 6761 §6.3 reserves it for loopback; it is resolved
//     through the system's resolver, on Debian /etc/hosts → 127.0.0.1 and ::1).
// Not loopback: other names ("localhost.example", "foo.localhost", "localhost."),
// 0.0.0.0, abbreviated forms such as "127.1", anything unparseable.
// IPv6 addresses may be given with or without their URL brackets ("[::1]" or "::1").

#include <string_view>

namespace wpe {

bool isLoopbackHost(std::string_view host);

}  // namespace wpe
