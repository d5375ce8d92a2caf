#include "daemon/profiles/profile.h"

#include <Poco/Logger.h>

#include "common/credential_text.h"
#include "common/log_escape.h"
#include "daemon/auth/basic_credential.h"
#include "daemon/auth/refresh_policy.h"
#include "daemon/cache/cache_store.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/profiles/static_credential.h"
#include "daemon/time/rfc3339.h"
#include "daemon/upstream/rejection_watcher.h"
#include "daemon/upstream/upstream_client.h"

namespace wpe {
namespace {

// GET {api_url}/user: the login's check of a new credential and the account look-up alike.
HttpRequest userRequest(const ProfileConfig& config, const Secret& authorization) {
  HttpRequest request;
  request.method = "GET";
  request.url = config.apiUrl + "/user";
  request.authorization = authorization;
  return request;
}

TransportOptions transportFor(const ProfileConfig& config, std::chrono::seconds total) {
  TransportOptions options;
  options.totalTimeout = total;
  options.caFile = config.caFile;
  options.profile = config.name;
  return options;
}

SiteCatalogOptions catalogOptions(const ProfileConfig& config, const ProfileServices& services) {
  SiteCatalogOptions options;
  options.profile = config.name;
  options.apiUrl = config.apiUrl;
  options.transport = transportFor(config, services.upstreamTimeout);
  options.transport.waitForRateLimit = true;  // a sync waits out a 429 window, not fails
  options.interval = services.syncInterval;
  return options;
}

constexpr const char* kApiAccessPage = "the API Access page of the WP Engine User Portal";

// The remedy after a login was refused for what its credential contains (credential_text.h).
std::string refusedLogin(const std::string& profile, const std::string& flags,
                         const std::string& from) {
  return "nothing was sent or stored. Copy it again from " + from +
         ", without extra characters, and run `wpectl login --profile " + profile + flags + "`";
}

}  // namespace

Profile::Profile(ProfileConfig config, ProfileServices& services)
    : config_(std::move(config)),
      services_(services),
      store_(services.store, config_, services.logger, loginHint()),
      oauthClient_(config_, services.transport, transportFor(config_, services.upstreamTimeout),
                   services.clock) {
  tokens_ = std::make_shared<TokenManager>(
      config_.name, services_.clock, store_, oauthClient_, services_.logger,
      RefreshPolicy::systemRandom(),
      [this](const std::string& profile) {
        {
          LockGuard lock(mutex_);
          state_ = CredentialState::LoginRequired;
          detail_ =
              "the OAuth grant was rejected; run `wpectl login --profile " + profile + " --oauth`";
        }
        if (services_.onLoginRequired) services_.onLoginRequired(profile);
      },
      [this] {
        if (services_.wakeScheduler) services_.wakeScheduler();
      });
  catalog_ =
      std::make_unique<SiteCatalog>(catalogOptions(config_, services_), nullptr, services_.fetcher,
                                    services_.cache, services_.clock, services_.logger);
}

Profile::~Profile() { cancelLogins("the profile was removed from the configuration"); }

void Profile::cancelLogins(const std::string& reason) {
  std::vector<std::weak_ptr<LoginSession>> sessions;
  {
    LockGuard lock(mutex_);
    sessions.swap(sessions_);
  }
  for (auto& weak : sessions) {
    if (auto session = weak.lock()) session->cancel(reason);
  }
}

std::string Profile::loginHint() const {
  std::string flag = config_.auth == AuthKind::OAuth   ? " --oauth"
                     : config_.auth == AuthKind::Basic ? " --basic --user ID"
                                                       : " --api-key";
  return "run `wpectl login --profile " + config_.name + flag + "`";
}

Status Profile::restore() {
  // A login or logout that lands while the keyring is read wins: its outcome is newer than
  // what this read saw (wped started by `wpectl login` itself restores concurrently).
  Generation::Stamp seen;
  {
    LockGuard lock(mutex_);
    seen = credentials_.stamp();
  }
  auto loaded = store_.load(config_.name);
  if (!loaded) {
    // LoginRequired: the credential is bound to another host (store_ refused it).
    const ErrorCode code = loaded.error().code;
    {
      LockGuard lock(mutex_);
      if (!credentials_.isCurrent(seen)) return {};
      state_ = code == ErrorCode::LoginRequired   ? CredentialState::LoginRequired
               : code == ErrorCode::KeyringLocked ? CredentialState::StoreLocked
                                                  : CredentialState::StoreUnavailable;
      detail_ = loaded.error().message;
      if (code == ErrorCode::LoginRequired) {
        authorizer_.reset();
        issued_.reset();
        catalog_->setAuthorizer(nullptr);
      }
    }
    if (code == ErrorCode::LoginRequired && services_.onLoginRequired) {
      services_.onLoginRequired(config_.name);
    }
    return loaded.error();
  }
  if (!loaded->has_value()) {
    LockGuard lock(mutex_);
    if (!credentials_.isCurrent(seen)) return {};
    state_ = CredentialState::LoggedOut;
    kind_.reset();
    authorizer_.reset();
    issued_.reset();
    detail_ = "not logged in; " + loginHint();
    catalog_->setAuthorizer(nullptr);
    return {};
  }
  const StoredCredential& credential = **loaded;
  if (credential.kind == AuthKind::OAuth) {
    auto st = tokens_->load();
    if (!st) {
      LockGuard lock(mutex_);
      if (!credentials_.isCurrent(seen)) return {};
      state_ = st.error().code == ErrorCode::KeyringLocked ? CredentialState::StoreLocked
               : st.error().code == ErrorCode::KeyringUnavailable
                   ? CredentialState::StoreUnavailable
                   : CredentialState::LoginRequired;
      kind_ = AuthKind::OAuth;
      detail_ = st.error().message;
      return st;
    }
    becomeReady(AuthKind::OAuth, tokens_, "", nullptr, seen);
    return {};
  }
  auto ready = StaticCredential::fromStored(credential, config_.name, loginHint());
  if (!ready) {
    LockGuard lock(mutex_);
    if (!credentials_.isCurrent(seen)) return {};
    state_ = CredentialState::LoginRequired;
    detail_ = ready.error().message;
    return ready.error();
  }
  becomeReady(ready->kind(), watchRejections(ready->authorizer()), ready->user(), ready->token(),
              seen);
  return {};
}

std::shared_ptr<Authorizer> Profile::watchRejections(std::shared_ptr<Authorizer> inner) {
  const std::string name = config_.name;
  return std::shared_ptr<Authorizer>(
      std::make_shared<RejectionWatcher>(std::move(inner), [this, name] {
        bool transition = false;
        {
          LockGuard lock(mutex_);
          transition = state_ != CredentialState::LoginRequired;
          state_ = CredentialState::LoginRequired;
          detail_ = "the WP Engine API rejected the stored credential; " + loginHint();
        }
        if (transition && services_.onLoginRequired) services_.onLoginRequired(name);
      }));
}

Generation::Stamp Profile::credentialStamp() const {
  LockGuard lock(mutex_);
  return credentials_.stamp();
}

void Profile::becomeReady(AuthKind kind, std::shared_ptr<Authorizer> authorizer, std::string user,
                          IssuedToken issued, std::optional<Generation::Stamp> unlessChangedSince) {
  LockGuard lock(mutex_);
  // A restore never replaces a credential that is already in use (a login got there first).
  if (unlessChangedSince &&
      (!credentials_.isCurrent(*unlessChangedSince) || state_ == CredentialState::Ready)) {
    return;
  }
  credentials_.advance();
  state_ = CredentialState::Ready;
  kind_ = kind;
  user_ = std::move(user);
  issued_ = std::move(issued);
  detail_.clear();
  account_.reset();  // a new credential may belong to someone else
  accountRetryAt_.reset();
  authorizer_ = authorizer;
  // Under mutex_ (the catalog's lock nests inside it) so the catalog and the state agree.
  catalog_->setAuthorizer(std::move(authorizer));
}

Result<std::string> Profile::loginWithApiKey(Secret key) {
  if (key.empty()) return Error(ErrorCode::BadRequest, "the API key is empty");
  if (auto bad = checkCredentialText(key.reveal(), "the API key",
                                     refusedLogin(config_.name, " --api-key", kApiAccessPage));
      !bad) {
    return bad.error();
  }
  return verifyAndStore(StoredCredential{AuthKind::ApiKey, key});
}

Result<std::string> Profile::loginWithBasic(std::string user, Secret password) {
  if (user.empty()) {
    return Error(ErrorCode::BadRequest, "Basic login needs the API user id: --user ID");
  }
  if (password.empty()) return Error(ErrorCode::BadRequest, "the password is empty");
  const std::string retry = refusedLogin(config_.name, " --basic --user ID", kApiAccessPage);
  if (auto bad = checkCredentialText(user, "the API user id", retry, CredentialPart::BasicUserId);
      !bad) {
    return bad.error();
  }
  if (auto bad = checkCredentialText(password.reveal(), "the API password", retry); !bad) {
    return bad.error();
  }
  return verifyAndStore(
      StoredCredential{AuthKind::Basic, BasicCredential{user, password}.toJson()});
}

Result<std::string> Profile::verifyAndStore(const StoredCredential& credential) {
  const char* what =
      credential.kind == AuthKind::Basic ? "API user id and password" : "API key";
  auto candidate = StaticCredential::fromStored(credential, config_.name, loginHint());
  if (!candidate) return candidate.error();
  auto response =
      services_.upstream.exchange(userRequest(config_, candidate->token()->authorization),
                                  transportFor(config_, services_.upstreamTimeout));
  if (!response) return response.error();
  if (response->status == 401 || response->status == 403) {
    Error error(ErrorCode::UpstreamError,
                std::string("the WP Engine API rejected this ") + what + " (HTTP " +
                    std::to_string(response->status) +
                    "); nothing was stored. Check it on the API Access page of the User Portal "
                    "and run `wpectl login` again");
    error.upstreamStatus = response->status;
    return error;
  }
  if (response->status < 200 || response->status >= 300) {
    return services_.upstream.errorFor(*response);
  }
  auto saved = store_.save(config_.name, credential);
  if (!saved) {
    Error error = saved.error();
    error.message = std::string("the ") + what + " was accepted by the API but could not be " +
                    "stored: " + error.message;
    return error;
  }
  becomeReady(candidate->kind(), watchRejections(candidate->authorizer()), candidate->user(),
              candidate->token());
  if (auto account = UserAccount::fromUserJson(response->body)) {
    LockGuard lock(mutex_);
    account_ = std::move(account);
  }
  services_.logger.information("profile %s: logged in (%s)", config_.name,
                               std::string(authKindName(credential.kind)));
  if (services_.requestSync) services_.requestSync(config_.name);
  return response->body;
}

Result<StartedLogin> Profile::beginOAuthLogin(std::optional<Secret> clientSecret) {
  if (config_.clientId.empty()) {
    return Error(ErrorCode::BadRequest, "profile " + config_.name +
                                            " has no client_id; set client_id (and auth = "
                                            "oauth) in [profile." +
                                            config_.name + "] of wped.ini");
  }
  if (clientSecret) {
    if (auto bad = checkCredentialText(clientSecret->reveal(), "the client secret",
                                       refusedLogin(config_.name, " --oauth --client-secret-stdin",
                                                    "your OAuth client's settings"));
        !bad) {
      return bad.error();
    }
  }
  auto session = std::make_shared<LoginSession>(
      config_, oauthClient_, services_.clock, services_.logger, std::move(clientSecret),
      [this](const OAuthGrant& grant) -> Status {
        auto installed = tokens_->install(grant);
        if (!installed) return installed;
        becomeReady(AuthKind::OAuth, tokens_, "", nullptr);
        // install() woke the scheduler before the kind was OAuth: that tick did not reach
        // the TokenManager, so this profile's timer must look again now. (The timer may then
        // sync before the request below arrives; ProfileWorker counts that sync for it.)
        if (services_.wakeScheduler) services_.wakeScheduler();
        services_.logger.information("profile %s: logged in (oauth)", config_.name);
        if (services_.requestSync) services_.requestSync(config_.name);
        return {};
      });
  auto started = session->start();
  if (!started) return started.error();
  auto entry = services_.logins.add(session);
  if (!entry) return entry.error();
  {
    LockGuard lock(mutex_);
    sessions_.push_back(session);
  }
  return StartedLogin{entry->loginId, session->authorizeUrl(), entry->expiresAt};
}

Status Profile::logout() {
  std::optional<AuthKind> kind;
  {
    LockGuard lock(mutex_);
    kind = kind_;
  }
  Status erased = kind == AuthKind::OAuth ? tokens_->logout() : store_.erase(config_.name);
  if (!erased) return erased;
  {
    LockGuard lock(mutex_);
    credentials_.advance();
    state_ = CredentialState::LoggedOut;
    kind_.reset();
    user_.clear();
    issued_.reset();
    account_.reset();
    authorizer_.reset();
    detail_ = "not logged in; " + loginHint();
  }
  // forget(), not a plain drop: a sync running now must not write the lists back.
  auto dropped = catalog_->forget();
  services_.logger.information("profile %s: logged out", config_.name);
  return dropped;
}

void Profile::restoreOnce(std::chrono::milliseconds wait) {
  LockGuard lock(mutex_);
  if (restoreRunning_) {
    // The scheduler's first tick and the request that socket-activated wped both arrive
    // here at start: one keyring read serves both.
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (restoreRunning_ && restored_.waitUntil(mutex_, deadline)) {
    }
    return;
  }
  restoreRunning_ = true;
  lock.unlock();
  (void)restore();
  lock.lock();
  restoreRunning_ = false;
  lock.unlock();
  restored_.notifyAll();
}

Status Profile::awaitRestore() {
  CredentialState state;
  {
    LockGuard lock(mutex_);
    state = state_;
  }
  // The keyring may have been unlocked since the last attempt: try once more, bounded by the
  // store's own deadline, rather than making the user wait for the next scheduler tick.
  if (state == CredentialState::Restoring || state == CredentialState::StoreLocked ||
      state == CredentialState::StoreUnavailable) {
    restoreOnce(kRestoreWait);
  }
  LockGuard lock(mutex_);
  if (state_ != CredentialState::Restoring) return {};
  return Error(ErrorCode::Unavailable, "profile " + config_.name +
                                           ": still reading the credential from the keyring; "
                                           "try again in a few seconds");
}

Result<std::shared_ptr<Authorizer>> Profile::authorizer() {
  if (auto settled = awaitRestore(); !settled) return settled.error();
  LockGuard lock(mutex_);
  switch (state_) {
    case CredentialState::Ready:
      return authorizer_;
    case CredentialState::StoreLocked:
      return Error(ErrorCode::KeyringLocked, detail_);
    case CredentialState::StoreUnavailable:
      return Error(ErrorCode::KeyringUnavailable, detail_);
    case CredentialState::LoginRequired:
      return Error(ErrorCode::LoginRequired, "profile " + config_.name + ": " + detail_);
    default:
      return Error(ErrorCode::LoginRequired,
                   "profile " + config_.name + " is not logged in; " + loginHint());
  }
}

Result<IssuedToken> Profile::token(std::chrono::seconds minValid) {
  std::optional<AuthKind> kind;
  IssuedToken issued;
  {
    // Ready (every call but the first after a start or login): one lock and no copy of a
    // secret; the token is the local API's hottest call, served to many clients at once
    // (issue 10).
    LockGuard lock(mutex_);
    if (state_ == CredentialState::Ready) {
      kind = kind_;
      issued = issued_;
    }
  }
  if (!kind) {
    auto settled = this->authorizer();  // restores from the keyring, or says why it cannot
    if (!settled) return settled.error();
    LockGuard lock(mutex_);
    kind = kind_;
    issued = issued_;
  }
  if (kind == AuthKind::OAuth) return tokens_->token(minValid);
  // A static credential does not expire: minValid always holds. Null only when a logout
  // came between the two looks above.
  if (!issued) {
    return Error(ErrorCode::LoginRequired,
                 "profile " + config_.name + ": not logged in; " + loginHint());
  }
  return issued;
}

BootTime Profile::tick() {
  CredentialState state;
  std::optional<AuthKind> kind;
  {
    LockGuard lock(mutex_);
    state = state_;
    kind = kind_;
  }
  if (state == CredentialState::Restoring || state == CredentialState::StoreLocked ||
      state == CredentialState::StoreUnavailable) {
    restoreOnce(std::chrono::milliseconds(0));  // a request is reading it: not again
    LockGuard lock(mutex_);
    kind = kind_;
  }
  if (kind == AuthKind::OAuth) return tokens_->tick();
  return services_.clock.boottime() + TokenManager::kMaxTickInterval;
}

void Profile::fetchAccountIfUnknown() {
  std::shared_ptr<Authorizer> authorizer;
  {
    LockGuard lock(mutex_);
    if (state_ != CredentialState::Ready || account_ || !authorizer_) return;
    if (accountRetryAt_ && services_.clock.boottime() < *accountRetryAt_) return;
    authorizer = authorizer_;
  }
  auto fetched = [&]() -> Result<UserAccount> {
    auto value = authorizer->authorization(std::chrono::seconds(60));
    if (!value) return value.error();
    auto response = services_.upstream.send(userRequest(config_, *value),
                                            transportFor(config_, services_.upstreamTimeout));
    if (!response) return response.error();
    auto account = UserAccount::fromUserJson(response->body);
    if (!account) return Error(ErrorCode::UpstreamError, "GET /user answered no email or name");
    return *account;
  }();
  LockGuard lock(mutex_);
  if (authorizer_ != authorizer) return;  // the credential changed meanwhile
  if (!fetched) {
    accountRetryAt_ = services_.clock.boottime() + kAccountRetry;
    services_.logger.information("profile %s: account not known yet: %s", config_.name,
                                 fetched.error().message);
    return;
  }
  account_ = std::move(fetched.value());
  accountRetryAt_.reset();
}

TransportOptions Profile::transportOptions() const {
  return transportFor(config_, services_.upstreamTimeout);
}

std::optional<UserAccount> Profile::account() const {
  LockGuard lock(mutex_);
  return account_;
}

Profile::Snapshot Profile::snapshot() const {
  Snapshot s;
  {
    LockGuard lock(mutex_);
    s.state = state_;
    s.kind = kind_;
    s.user = user_;
    s.detail = detail_;
  }
  if (s.kind == AuthKind::OAuth) {
    s.token = tokens_->snapshot();
    if (s.token->state == TokenState::LoginRequired) {
      s.state = CredentialState::LoginRequired;
      if (s.detail.empty()) s.detail = "the OAuth grant is no longer valid; " + loginHint();
    }
  }
  return s;
}

}  // namespace wpe
