#pragma once
// CredentialStore: where a profile's secret lives. One item per profile (docs/security.md rule 1):
// its non-secret attributes are the profile name, the auth kind and the binding (where the
// credential may be sent, see CredentialBinding); the secret value carries everything secret
// (the API key, the Basic password, or the OAuth JSON blob). The store keeps the binding as
// given and returns it on load; checking it is BoundCredentialStore's job.
//
// Implementations: SecretServiceStore (libsecret; the only file that includes
// <libsecret/secret.h>) and MemoryStore (credential_store = memory: RAM only, said in status).
// There is no plaintext fallback.
//
// Every call is bounded in time and may be made from any thread. Failures are values:
//   KeyringUnavailable — no Secret Service on the bus, or the call timed out
//   KeyringLocked      — the collection is locked (a locked lookup is told apart from
//                        "not found" by asking the collection, not trusted as empty)
// load() returns an empty optional when the profile has no item.

#include <optional>
#include <string>

#include "common/auth_kind.h"
#include "common/store_state.h"
#include "common/result.h"
#include "common/secret.h"
#include "daemon/credentials/credential_binding.h"

namespace wpe {

struct StoredCredential {
  // The keyring keeps it as the item's "kind" attribute (authKindName); a name this wped does
  // not know is refused where it is read (LoginRequired), so a kind is always one of these.
  AuthKind kind = AuthKind::ApiKey;
  Secret value;
  CredentialBinding binding{};  // empty: an item stored before credentials were bound
};

struct StoreStatus {
  StoreState state = StoreState::Unavailable;
  std::string detail;  // one line for `wpectl status`: what is wrong and what to do next
};


class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  virtual Result<std::optional<StoredCredential>> load(const std::string& profile) = 0;
  // Replaces the profile's item. If the kind or the binding changed, the old item is removed
  // only after the new one was stored, so a failure never loses the previous credential.
  virtual Status save(const std::string& profile, const StoredCredential& credential) = 0;
  // Removes the profile's item; succeeds when there was none.
  virtual Status erase(const std::string& profile) = 0;
  // Probes the backend (bounded in time) and says which state it is in.
  virtual StoreStatus probe() = 0;
};

}  // namespace wpe
