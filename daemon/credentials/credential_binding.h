#pragma once
// CredentialBinding: where a stored credential may be sent (docs/security.md rule 3).
// Non-secret; kept as attributes of the keyring item beside `profile` and `kind`:
//   origin          scheme://host[:port] of the api_url the credential was used with (every
//                   kind: API keys, Basic passwords and OAuth access tokens all go there)
//   token_endpoint  oauth only: the token_url the grant came from, exactly as configured
//   client_id       oauth only: the client the grant was issued to
//   revoke_endpoint oauth only: the revoke_url `wpectl logout` sends the grant to, exactly as
//                   configured; "" when none is configured
// An empty binding is an item stored before binding existed (migrated on first use). An oauth
// item whose revokeEndpoint is nullopt was bound before the revocation endpoint was part of
// the binding (migrated the same way, if the rest matches).

#include <optional>
#include <string>

namespace wpe {

struct CredentialBinding {
  std::string origin{};
  std::string tokenEndpoint{};
  std::string clientId{};
  // nullopt: not recorded (any kind but oauth, or an item stored before it was); "": none.
  std::optional<std::string> revokeEndpoint{};

  bool empty() const {
    return origin.empty() && tokenEndpoint.empty() && clientId.empty() && !revokeEndpoint;
  }
  bool operator==(const CredentialBinding& o) const {
    return origin == o.origin && tokenEndpoint == o.tokenEndpoint && clientId == o.clientId &&
           revokeEndpoint == o.revokeEndpoint;
  }
  bool operator!=(const CredentialBinding& o) const { return !(*this == o); }
};

}  // namespace wpe
