#pragma once
// CredentialBinding: where a stored credential may be sent (security.md, "bound credentials").
// Non-secret; kept as attributes of the keyring item beside `profile` and `kind`:
//   origin          scheme://host[:port] of the api_url the credential was used with (every
//                   kind: API keys, Basic passwords and OAuth access tokens all go there)
//   token_endpoint  oauth only: the token_url the grant came from, exactly as configured
//   client_id       oauth only: the client the grant was issued to
// An empty binding is an item stored before binding existed (migrated on first use).

#include <string>

namespace wpe {

struct CredentialBinding {
  std::string origin{};
  std::string tokenEndpoint{};
  std::string clientId{};

  bool empty() const { return origin.empty() && tokenEndpoint.empty() && clientId.empty(); }
  bool operator==(const CredentialBinding& o) const {
    return origin == o.origin && tokenEndpoint == o.tokenEndpoint && clientId == o.clientId;
  }
  bool operator!=(const CredentialBinding& o) const { return !(*this == o); }
};

}  // namespace wpe
