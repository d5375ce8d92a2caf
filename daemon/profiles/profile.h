#pragma once
// Profile: one configured profile at run time — which credential it holds, the Authorizer
// built from it, and its SiteCatalog.
//
// Credential kinds (docs/interface.md "Credential kinds"): api_key (the key is the keyring secret),
// basic (the secret is {"user","password"} JSON: the user id is not secret but must survive
// restarts with the password), oauth (TokenManager's grant JSON). The kind stored in the keyring is
// what the profile uses (an AuthKind: the store refuses a name it does not know, LoginRequired);
// `auth` in the config is the default method for `wpectl login`.
//
// Binding: every keyring access goes through a BoundCredentialStore for this config, so a
// credential issued for another API host, token endpoint or client is refused
// (login_required, naming both) and never sent; a reload that changes them builds a new
// Profile, whose restore() re-checks.
//
// Lifecycle: restore() at start (and again from the scheduler while the keyring was locked or
// unavailable), login*(), logout(). tick() is the scheduler's hook (OAuth refreshes, restore
// retries). Thread-safe: mutex_ guards the credential state (GUARDED_BY); no lock is held
// across keyring or network I/O.

#include <Poco/JSON/Object.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/auth_kind.h"
#include "common/cond_var.h"
#include "common/credential_state.h"
#include "common/generation.h"
#include "common/mutex.h"
#include "common/result.h"
#include "common/secret.h"
#include "daemon/auth/login_registry.h"
#include "daemon/auth/oauth_client.h"
#include "daemon/auth/token_info.h"
#include "daemon/auth/token_manager.h"
#include "daemon/config/profile_config.h"
#include "daemon/profiles/bound_credential_store.h"
#include "daemon/profiles/profile_services.h"
#include "daemon/profiles/user_account.h"
#include "daemon/sync/site_catalog.h"

namespace wpe {

struct StartedLogin {
  std::string loginId;
  std::string authorizeUrl;
  WallTime expiresAt;
};

class Profile {
 public:
  Profile(ProfileConfig config, ProfileServices& services);
  ~Profile();
  Profile(const Profile&) = delete;
  Profile& operator=(const Profile&) = delete;

  const ProfileConfig& config() const { return config_; }
  const std::string& name() const { return config_.name; }

  // Reads the credential from the store. LoggedOut when there is none. On a keyring error
  // the state says so and the scheduler calls it again.
  Status restore() EXCLUDES(mutex_);

  // api_key / basic: checks the credential with GET {api_url}/user first; on 401 nothing is
  // stored. Returns the API's user object (JSON text) on success.
  Result<std::string> loginWithApiKey(Secret key) EXCLUDES(mutex_);
  Result<std::string> loginWithBasic(std::string user, Secret password) EXCLUDES(mutex_);
  // oauth: starts a loopback login; the completion installs the grant.
  Result<StartedLogin> beginOAuthLogin(std::optional<Secret> clientSecret) EXCLUDES(mutex_);

  // Revokes what can be revoked, erases the keyring item, drops the cached lists.
  Status logout() EXCLUDES(mutex_);

  // Before anything that needs the credential (a sync, a refresh, a first list): Restoring
  // means "not read yet", not "logged out", so this waits for a keyring read in progress (or
  // does the read itself when none is) — at most kRestoreWait — and retries one when the
  // keyring was locked or unavailable. OK when the state is settled; Unavailable ("still
  // reading the credential from the keyring; try again") when the read outlasts the wait.
  Status awaitRestore() EXCLUDES(mutex_);

  // The same IssuedToken until the credential (or for oauth the token) changes.
  Result<IssuedToken> token(std::chrono::seconds minValid) EXCLUDES(mutex_);
  // The current authorizer (after awaitRestore()), or LoginRequired with what to do.
  Result<std::shared_ptr<Authorizer>> authorizer() EXCLUDES(mutex_);

  SiteCatalog& catalog() { return *catalog_; }

  // How this profile's requests go out: its ca_file, its name (rate limits) and the
  // upstream_timeout deadline.
  TransportOptions transportOptions() const;

  // The account behind the credential (GET /user): known after a key/Basic login at once;
  // after an OAuth login or a restore, fetchAccountIfUnknown() (the scheduler's sync thread)
  // asks the API. Network I/O; a failure is tried again after kAccountRetry. Cleared by
  // logout and by a new credential.
  void fetchAccountIfUnknown() EXCLUDES(mutex_);
  std::optional<UserAccount> account() const EXCLUDES(mutex_);
  static constexpr std::chrono::minutes kAccountRetry{1};

  // The keyring call bound (5 s, SecretServiceStore) plus a margin for a slow D-Bus start.
  static constexpr std::chrono::seconds kRestoreWait{7};

  // Fails every pending OAuth login of this profile (wped is stopping, or the profile goes).
  void cancelLogins(const std::string& reason) EXCLUDES(mutex_);

  // Scheduler hook: restore retries and OAuth refreshes. Returns when it wants the next call.
  BootTime tick() EXCLUDES(mutex_);

  struct Snapshot {
    CredentialState state = CredentialState::Restoring;
    std::optional<AuthKind> kind;        // the stored credential's kind, none when none
    std::string user;                    // basic: the API user id
    std::string detail;                  // what is wrong and what to do next
    std::optional<TokenSnapshot> token;  // oauth only
  };
  // Changes with every login, logout and restore: two equal stamps, the same credential.
  Generation::Stamp credentialStamp() const EXCLUDES(mutex_);
  Snapshot snapshot() const EXCLUDES(mutex_);

 private:
  // An api_key or basic login: checks the credential with GET /user, stores it, becomes ready.
  Result<std::string> verifyAndStore(const StoredCredential& credential);
  // issued: the api_key or basic credential's token (null for oauth: TokenManager's).
  // unlessChangedSince: restore()'s stamp of credentials_; a login or logout since then wins
  // and this does nothing.
  void becomeReady(AuthKind kind, std::shared_ptr<Authorizer> authorizer, std::string user,
                   IssuedToken issued, std::optional<Generation::Stamp> unlessChangedSince = {})
      EXCLUDES(mutex_);
  // `inner` wrapped so that the API rejecting the static credential (a revoked key, a changed
  // password) makes the profile login_required.
  std::shared_ptr<Authorizer> watchRejections(std::shared_ptr<Authorizer> inner);
  std::string loginHint() const;
  // restore(), single flight: one keyring read at a time per profile. A caller that finds one
  // running waits up to `wait` for it (0: returns at once) instead of reading again.
  void restoreOnce(std::chrono::milliseconds wait) EXCLUDES(mutex_);

  const ProfileConfig config_;
  ProfileServices& services_;
  BoundCredentialStore store_;  // services_.store, bound to config_; all keyring access
  OAuthClient oauthClient_;
  std::shared_ptr<TokenManager> tokens_;
  std::unique_ptr<SiteCatalog> catalog_;

  mutable Mutex mutex_;  // the catalog's locks nest inside it (becomeReady)
  CredentialState state_ GUARDED_BY(mutex_) = CredentialState::Restoring;
  bool restoreRunning_ GUARDED_BY(mutex_) = false;   // restoreOnce() is reading the keyring
  CondVar restored_;                                 // notified when a restoreOnce() read ends
  Generation credentials_ GUARDED_BY(mutex_);        // advanced by every login, logout and restore
  std::optional<AuthKind> kind_ GUARDED_BY(mutex_);  // the stored credential's
  std::string user_ GUARDED_BY(mutex_);
  // api_key and basic: what token() hands out, made when the credential became ready (the
  // oauth kind's comes from tokens_). Null in every other state.
  IssuedToken issued_ GUARDED_BY(mutex_);
  std::string detail_ GUARDED_BY(mutex_);
  std::shared_ptr<Authorizer> authorizer_ GUARDED_BY(mutex_);
  std::optional<UserAccount> account_ GUARDED_BY(mutex_);
  std::optional<BootTime> accountRetryAt_ GUARDED_BY(mutex_);  // after a failed GET /user
  // OAuth logins started here; cancelled when the profile goes away (their completion
  // refers to this object).
  std::vector<std::weak_ptr<LoginSession>> sessions_ GUARDED_BY(mutex_);
};

}  // namespace wpe
