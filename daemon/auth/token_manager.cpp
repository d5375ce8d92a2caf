#include "daemon/auth/token_manager.h"

#include <algorithm>

#include "daemon/auth/refresh_policy.h"
#include "daemon/core/rfc3339.h"

namespace wpe {

namespace {
constexpr char kKind[] = "oauth";

BootTime toBoot(std::chrono::system_clock::duration d) {
  return std::chrono::duration_cast<BootTime>(d);
}
}  // namespace

TokenManager::TokenManager(std::string profile, const Clock& clock, CredentialStore& store,
                           TokenEndpoint& endpoint, Poco::Logger& logger,
                           std::function<double()> random01, LoginRequiredCallback onLoginRequired,
                           std::function<void()> onScheduleChanged)
    : profile_(std::move(profile)),
      clock_(clock),
      store_(store),
      endpoint_(endpoint),
      logger_(logger),
      random01_(std::move(random01)),
      onLoginRequired_(std::move(onLoginRequired)),
      onScheduleChanged_(std::move(onScheduleChanged)) {}

void TokenManager::scheduleChanged() {
  if (onScheduleChanged_) onScheduleChanged_();
}

void TokenManager::setGrantLocked(OAuthGrant grant) {
  const BootTime now = clock_.boottime();
  expiryDeadline_ = now + toBoot(grant.expiresAt - clock_.now());
  refreshDeadline_ = expiryDeadline_ - RefreshPolicy::refreshLead(grant.lifetime, random01_());
  grant_ = std::move(grant);
  ++version_;
}

Status TokenManager::load() {
  auto loaded = store_.load(profile_);
  std::lock_guard lock(mutex_);
  if (!loaded) {
    loadPending_ = loaded.error().code == ErrorCode::KeyringLocked ||
                   loaded.error().code == ErrorCode::KeyringUnavailable;
    lastError_ = loaded.error();
    return loaded.error();
  }
  loadPending_ = false;
  // Memory is never older than the store: a second restore (the scheduler and a request both
  // restoring at start) must not replace the grant, or bump the epoch under a refresh in
  // flight — that would discard its rotated refresh token and strand the profile.
  if (grant_) return {};
  lastError_.reset();
  if (!loaded.value() || loaded.value()->kind != kKind) return {};
  auto grant = OAuthGrant::fromJson(loaded.value()->value);
  if (!grant) {
    lastError_ = grant.error();
    logger_.warning("profile " + profile_ + ": " + grant.error().message);
    return grant.error();
  }
  setGrantLocked(std::move(grant).value());
  ++epoch_;
  logger_.information("profile " + profile_ + ": OAuth grant restored, access token expires " +
                      formatRfc3339(grant_->expiresAt));
  return {};
}

Status TokenManager::install(OAuthGrant grant) {
  std::lock_guard persist(persistMutex_);
  const Status saved = store_.save(profile_, StoredCredential{kKind, grant.toJson()});
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    ++epoch_;  // a refresh in flight for the previous grant must not overwrite this one
    setGrantLocked(std::move(grant));
    loginRequired_ = finalError_ = loadPending_ = false;
    failures_ = 0;
    nextAttempt_ = {};
    persistencePending_ = !saved.ok();
    lastError_.reset();
    if (!saved) lastError_ = saved.error();
    notify = true;
  }
  if (notify) refreshed_.notify_all();
  if (!saved) {
    logger_.warning("profile " + profile_ + ": new tokens kept in memory only, the keyring said: " +
                    saved.error().message + " (retrying)");
  } else {
    logger_.information("profile " + profile_ + ": OAuth login stored");
  }
  scheduleChanged();  // the first refresh is due within this grant's lifetime
  return {};
}

Status TokenManager::persistPending() {
  std::lock_guard persist(persistMutex_);
  std::optional<OAuthGrant> copy;
  std::uint64_t version;
  {
    std::lock_guard lock(mutex_);
    if (!persistencePending_ || !grant_) return {};
    copy = grant_;
    version = version_;
  }
  const Status saved = store_.save(profile_, StoredCredential{kKind, copy->toJson()});
  std::lock_guard lock(mutex_);
  if (version == version_) {
    persistencePending_ = !saved.ok();
    if (saved) {
      lastError_.reset();
      logger_.information("profile " + profile_ + ": pending tokens written to the keyring");
    }
  }
  return saved;
}

BootTime TokenManager::tick() {
  bool retryLoad;
  {
    std::lock_guard lock(mutex_);
    retryLoad = loadPending_ && !grant_;
  }
  if (retryLoad) (void)load();
  (void)persistPending();

  Lock lock(mutex_);
  BootTime now = clock_.boottime();
  if (grant_ && !loginRequired_ && !finalError_ && !refreshing_) {
    if (!grant_->refreshToken) {
      if (now >= expiryDeadline_) {
        const std::uint64_t epochBefore = epoch_;
        if (enterLoginRequiredLocked("the access token expired and there is no refresh token")) {
          lock.unlock();
          afterLoginRequired(epochBefore + 1);
          lock.lock();
        }
      }
    } else if (now >= refreshDeadline_ && now >= nextAttempt_) {
      runRefresh(lock);
    }
  }
  now = clock_.boottime();
  BootTime next = now + kMaxTickInterval;
  if (grant_ && !loginRequired_ && !finalError_) {
    const BootTime due = std::max(refreshDeadline_, nextAttempt_);
    if (due > now) next = std::min(next, due);
    if (!grant_->refreshToken && expiryDeadline_ > now) next = std::min(next, expiryDeadline_);
  }
  if (persistencePending_) next = std::min(next, now + kPersistRetryInterval);
  return next;
}

bool TokenManager::enterLoginRequiredLocked(const std::string& reason) {
  const bool transition = !loginRequired_;
  loginRequired_ = true;
  grant_.reset();
  ++epoch_;
  ++version_;
  persistencePending_ = false;
  failures_ = 0;
  lastError_ =
      Error(ErrorCode::LoginRequired, reason + "; run `wpectl login --profile " + profile_ + "`");
  if (transition) logger_.warning("profile " + profile_ + ": login required: " + reason);
  return transition;
}

void TokenManager::afterLoginRequired(std::uint64_t epoch) {
  {
    std::lock_guard persist(persistMutex_);
    bool current;
    {
      std::lock_guard lock(mutex_);
      current = epoch == epoch_;  // not when a new login was installed meanwhile
    }
    if (current) {
      if (Status erased = store_.erase(profile_); !erased) {
        logger_.warning("profile " + profile_ +
                        ": could not erase the rejected grant: " + erased.error().message);
      }
    }
  }
  if (onLoginRequired_) onLoginRequired_(profile_);
}

void TokenManager::runRefresh(Lock& lock) {
  refreshing_ = true;
  const std::uint64_t epoch = epoch_;
  const OAuthGrant base = *grant_;
  lock.unlock();

  TokenOutcome out = endpoint_.refresh(*base.refreshToken, base.clientSecret);
  bool loginTransition = false;
  if (out.ok()) {
    OAuthGrant fresh = base;
    TokenResponse& t = *out.tokens;
    fresh.accessToken = std::move(t.accessToken);
    fresh.tokenType = t.tokenType;
    fresh.lifetime = t.expiresIn;
    fresh.expiresAt = clock_.now() + t.expiresIn;
    if (t.refreshToken) fresh.refreshToken = std::move(t.refreshToken);  // else keep the old one
    if (!t.scope.empty()) fresh.scope = t.scope;

    // Persist before anyone sees the new access token: a rotated refresh token that only
    // lived in memory would be lost with the process.
    std::lock_guard persist(persistMutex_);
    bool current;
    {
      std::lock_guard check(mutex_);
      current = epoch == epoch_;
    }
    const Status saved =
        current ? store_.save(profile_, StoredCredential{kKind, fresh.toJson()}) : Status();
    lock.lock();
    if (epoch == epoch_) {
      const std::string expires = formatRfc3339(fresh.expiresAt);
      setGrantLocked(std::move(fresh));
      failures_ = 0;
      nextAttempt_ = {};
      lastRefreshAt_ = clock_.now();
      persistencePending_ = !saved.ok();
      lastError_.reset();
      if (!saved) {
        lastError_ = saved.error();
        logger_.warning("profile " + profile_ +
                        ": refreshed tokens kept in memory only, the keyring said: " +
                        saved.error().message + " (retrying)");
      } else {
        logger_.information("profile " + profile_ + ": access token refreshed, expires " + expires);
      }
    }
  } else {
    lock.lock();
    if (epoch == epoch_) {
      const TokenFailure& f = out.failure;
      if (f.invalidGrant()) {
        loginTransition =
            enterLoginRequiredLocked("the refresh token was rejected (invalid_grant)");
      } else if (f.transient()) {
        ++failures_;
        const auto delay = RefreshPolicy::backoff(failures_, random01_(), f.retryAfter);
        nextAttempt_ = clock_.boottime() + delay;
        lastError_ = f.toError();
        logger_.warning(
            "profile " + profile_ + ": token refresh failed (" + f.message + "); retrying in " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(delay).count()) + " s");
      } else {
        finalError_ = true;
        lastError_ = f.toError();
        logger_.error("profile " + profile_ + ": token refresh refused: " + f.message);
      }
    }
  }
  refreshing_ = false;
  ++refreshGeneration_;
  const std::uint64_t epochNow = epoch_;
  refreshed_.notify_all();
  if (loginTransition) {
    lock.unlock();
    afterLoginRequired(epochNow);
    lock.lock();
  }
}

bool TokenManager::refreshOnce(Lock& lock) {
  if (!refreshing_) {
    runRefresh(lock);
    // A caller's refresh moved the schedule (a new deadline, or a backoff to retry after).
    lock.unlock();
    scheduleChanged();
    lock.lock();
    return true;
  }
  const std::uint64_t generation = refreshGeneration_;
  return refreshed_.wait_for(lock, kMaxWait, [&] { return refreshGeneration_ != generation; });
}

Error TokenManager::unusableError() const {
  const std::string hint = "; run `wpectl login --profile " + profile_ + "`";
  if (loginRequired_) {
    return lastError_ ? *lastError_ : Error(ErrorCode::LoginRequired, "login required" + hint);
  }
  if (!grant_) {
    // A locked or absent keyring is reported as such: logging in again would not help.
    if (lastError_ && (lastError_->code == ErrorCode::KeyringLocked ||
                       lastError_->code == ErrorCode::KeyringUnavailable)) {
      return *lastError_;
    }
    return Error(
        ErrorCode::LoginRequired,
        (lastError_ ? lastError_->message : "profile " + profile_ + " has no OAuth login") +
            (lastError_ ? "" : hint));
  }
  if (lastError_) return *lastError_;
  return Error(ErrorCode::UpstreamUnreachable, "the access token could not be refreshed");
}

TokenInfo TokenManager::infoLocked() const {
  TokenInfo info;
  info.accessToken = grant_->accessToken;
  info.tokenType = grant_->tokenType;
  info.expiresAt = grant_->expiresAt;
  info.authorization = grant_->authorization();
  return info;
}

Result<TokenInfo> TokenManager::token(std::chrono::seconds minValid) {
  return tokenFor(minValid, false);
}

Result<TokenInfo> TokenManager::tokenFor(std::chrono::seconds minValid, bool capToLead) {
  Lock lock(mutex_);
  bool attempted = false;
  for (;;) {
    if (loginRequired_ || !grant_) return unusableError();
    const BootTime now = clock_.boottime();
    // Short-lived tokens: the floor (and for authorization() the whole demand) shrinks to the
    // refresh lead, or every request would refresh a token that can never satisfy it.
    const BootTime lead = expiryDeadline_ - refreshDeadline_;
    BootTime need = std::max<BootTime>(minValid, std::min<BootTime>(kMinValidFloor, lead));
    if (capToLead) need = std::min(need, lead);
    // Enough validity left: serve it, even past the refresh deadline — tick() refreshes on
    // schedule, and callers need not wait on the network for a token that still works.
    if (expiryDeadline_ - now >= need) return infoLocked();
    const bool canRefresh = grant_->refreshToken && !finalError_ && now >= nextAttempt_;
    if (attempted || !canRefresh) {
      if (capToLead && expiryDeadline_ - now >= std::min<BootTime>(kMinValidFloor, lead / 2)) {
        // The API still accepts this token: a refresh that failed or is backing off (an
        // authorization server outage, a 429) must not turn working requests into errors.
        return infoLocked();
      }
      if (!grant_->refreshToken) {
        return Error(ErrorCode::LoginRequired,
                     "the access token expires and there is no refresh token; run `wpectl "
                     "login --profile " +
                         profile_ + "`");
      }
      if (attempted && failures_ == 0 && !finalError_ && expiryDeadline_ > now) {
        // The refresh worked; the server just issues shorter-lived tokens than asked for.
        return Error(ErrorCode::BadRequest,
                     "tokens of this profile do not live long enough for "
                     "the requested min_valid");
      }
      return unusableError();
    }
    if (!refreshOnce(lock)) {
      return Error(ErrorCode::Unavailable, "the token refresh is taking too long; try again");
    }
    attempted = true;
  }
}

Result<Secret> TokenManager::authorization(std::chrono::seconds minValid) {
  auto info = tokenFor(minValid, true);
  if (!info) return info.error();
  return info->authorization;
}

Result<Secret> TokenManager::afterUnauthorized(const Secret& rejected) {
  {
    Lock lock(mutex_);
    const bool same = grant_ && !loginRequired_ &&
                      (grant_->authorization() == rejected || grant_->accessToken == rejected);
    if (same) {
      const BootTime now = clock_.boottime();
      if (!grant_->refreshToken || finalError_) return unusableError();
      if (now < nextAttempt_) return unusableError();
      if (!refreshOnce(lock)) {
        return Error(ErrorCode::Unavailable, "the token refresh is taking too long; try again");
      }
      if (!grant_ || loginRequired_) return unusableError();
      if (grant_->authorization() == rejected || grant_->accessToken == rejected) {
        return unusableError();  // the refresh failed: the rejected token is all we have
      }
    }
  }
  // Another caller already refreshed (or we just did): the current token, if still good.
  return authorization(kMinValidFloor);
}

Status TokenManager::logout() {
  std::optional<OAuthGrant> old;
  {
    std::lock_guard lock(mutex_);
    old = std::move(grant_);
    grant_.reset();
    ++epoch_;
    ++version_;
    loginRequired_ = finalError_ = persistencePending_ = loadPending_ = false;
    failures_ = 0;
    nextAttempt_ = {};
    lastError_.reset();
  }
  refreshed_.notify_all();
  if (old) {
    // Best effort: the refresh token is the long-lived one; revoking it also ends the access
    // token on most servers (RFC 7009 §2.1).
    const Secret& token = old->refreshToken ? *old->refreshToken : old->accessToken;
    const char* hint = old->refreshToken ? "refresh_token" : "access_token";
    Status revoked = endpoint_.revoke(token, hint, old->clientSecret);
    if (!revoked && revoked.error().code != ErrorCode::Unavailable) {
      logger_.warning("profile " + profile_ + ": token revocation failed (" +
                      revoked.error().message + "); the local copy is erased anyway");
    }
  }
  std::lock_guard persist(persistMutex_);
  Status erased = store_.erase(profile_);
  logger_.information("profile " + profile_ + ": logged out");
  return erased;
}

TokenSnapshot TokenManager::snapshot() const {
  std::lock_guard lock(mutex_);
  TokenSnapshot s;
  s.persistencePending = persistencePending_;
  s.lastRefreshAt = lastRefreshAt_;
  if (lastError_) s.lastError = lastError_->message;
  const BootTime bootNow = clock_.boottime();
  const WallTime wallNow = clock_.now();
  if (loginRequired_) {
    s.state = TokenState::LoginRequired;
  } else if (!grant_) {
    s.state = lastError_ ? TokenState::Error : TokenState::None;
  } else {
    s.expiresAt = grant_->expiresAt;
    if (refreshing_) {
      s.state = TokenState::Refreshing;
    } else if (finalError_ || bootNow >= expiryDeadline_) {
      // Never "valid" with an expires_at in the past, whatever kept the refresh from running.
      s.state = TokenState::Error;
      if (s.lastError.empty()) s.lastError = "the access token expired before it was refreshed";
    } else {
      s.state = TokenState::Valid;
    }
    if (!finalError_ && grant_->refreshToken) {
      const BootTime due = std::max({refreshDeadline_, nextAttempt_, bootNow});
      s.nextRefreshAt = wallNow + std::chrono::duration_cast<WallTime::duration>(due - bootNow);
    }
  }
  return s;
}

}  // namespace wpe
