#pragma once
// BoundCredentialStore: one profile's view of the CredentialStore that enforces where its
// credential may be sent (docs/security.md rule 3). Every save is stamped with the
// binding the profile's current config implies (CredentialBinding: the API origin; for oauth
// also the token endpoint, the client id and the revocation endpoint); every load checks it:
//   - binding equal to the config's          → the credential, unchanged
//   - binding different                      → LoginRequired, naming the host the credential
//                                              was issued for, the one now configured, and the
//                                              login command. The item stays in the store (a
//                                              new login replaces it), nothing is sent anywhere.
//   - no binding (stored before it existed)  → migrated: rewritten once with the config's
//                                              binding (same secret), logged at info level. If
//                                              that write fails it is used this time and
//                                              migrated on a later load.
//   - oauth without a revocation endpoint    → the rest compared as above; if it matches, the
//     (bound before it was part of it)         configured revoke_url is bound the same way.
// The config is fixed for the object's life (a reload builds a new Profile, hence a new
// BoundCredentialStore, whose first load re-checks). Thread-safe: loads are serialised (held
// across the inner store's bounded call) so concurrent first loads migrate an item once.

#include <string>

#include "common/mutex.h"
#include "daemon/config/profile_config.h"
#include "daemon/credentials/credential_store.h"

namespace Poco {
class Logger;
}

namespace wpe {

class BoundCredentialStore final : public CredentialStore {
 public:
  // inner and logger must outlive this. loginHint: what to run to log in again ("run `wpectl
  // login --profile NAME --api-key`"), appended to a refusal.
  BoundCredentialStore(CredentialStore& inner, ProfileConfig config, Poco::Logger& logger,
                       std::string loginHint);

  // The binding a credential of `kind` gets under `config`.
  static CredentialBinding bindingFor(const ProfileConfig& config, AuthKind kind);
  // scheme://host[:port] of a URL: scheme and host lower-cased, a default port (80 for http,
  // 443 for https) left out, an IPv6 host in brackets. The URL itself when it cannot be parsed.
  static std::string originOf(const std::string& url);

  Result<std::optional<StoredCredential>> load(const std::string& profile) override;
  Status save(const std::string& profile, const StoredCredential& credential) override;
  Status erase(const std::string& profile) override;
  StoreStatus probe() override;

 private:
  // Rewrites `credential` (its binding completed) once, logging "bound … to <boundTo>"; a
  // failed write is logged and retried on a later load.
  void migrate(const std::string& profile, const StoredCredential& credential,
               const std::string& boundTo);
  std::string refusal(AuthKind kind, const CredentialBinding& stored,
                      const CredentialBinding& expected) const;

  CredentialStore& inner_;
  const ProfileConfig config_;
  Poco::Logger& logger_;
  const std::string loginHint_;
  Mutex loadMutex_;  // one load (and its migration) at a time
};

}  // namespace wpe
