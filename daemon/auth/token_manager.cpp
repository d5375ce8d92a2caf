#include "daemon/auth/token_manager.h"

#include <algorithm>

#include "common/auth_kind.h"
#include "daemon/auth/refresh_policy.h"
#include "daemon/time/rfc3339.h"

namespace wpe {

namespace {
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

GrantHeld& TokenManager::setGrantLocked(OAuthGrant grant) {
  const BootTime now = clock_.boottime();
  GrantHeld next;
  next.expiryDeadline = now + toBoot(grant.expiresAt - clock_.now());
  next.refreshDeadline =
      next.expiryDeadline - RefreshPolicy::refreshLead(grant.lifetime, random01_());
  next.grant = std::move(grant);
  next.issued = issue(next.grant);
  grantVersion_.advance();
  return state_.emplace<GrantHeld>(std::move(next));
}

Status TokenManager::load() {
  auto loaded = store_.load(profile_);
  LockGuard lock(mutex_);
  auto* missing = std::get_if<GrantMissing>(&state_);
  if (!loaded) {
    if (missing) {
      missing->loadPending = loaded.error().code == ErrorCode::KeyringLocked ||
                             loaded.error().code == ErrorCode::KeyringUnavailable;
    }
    lastError_ = loaded.error();
    return loaded.error();
  }
  // Memory is never older than the store: a second restore (the scheduler and a request both
  // restoring at start) must not replace the grant, or bump the epoch under a refresh in
  // flight — that would discard its rotated refresh token and strand the profile.
  if (!missing) return {};
  missing->loadPending = false;
  lastError_.reset();
  if (!loaded.value() || loaded.value()->kind != AuthKind::OAuth) return {};
  auto grant = OAuthGrant::fromJson(loaded.value()->value);
  if (!grant) {
    lastError_ = grant.error();
    logger_.warning("profile " + profile_ + ": " + grant.error().message);
    return grant.error();
  }
  const GrantHeld& restored = setGrantLocked(std::move(grant).value());
  epoch_.advance();
  logger_.information("profile " + profile_ + ": OAuth grant restored, access token expires " +
                      formatRfc3339(restored.grant.expiresAt));
  return {};
}

Status TokenManager::install(OAuthGrant grant) {
  LockGuard persist(persistMutex_);
  const Status saved =
      store_.save(profile_, StoredCredential{AuthKind::OAuth, grant.toJson()});
  {
    LockGuard lock(mutex_);
    epoch_.advance();  // a refresh in flight for the previous grant must not overwrite this one
    setGrantLocked(std::move(grant)).persistencePending = !saved.ok();
    lastError_.reset();
    if (!saved) lastError_ = saved.error();
  }
  refreshed_.notifyAll();
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
  LockGuard persist(persistMutex_);
  std::optional<OAuthGrant> copy;
  Generation::Stamp version;
  {
    LockGuard lock(mutex_);
    const GrantHeld* current = held();
    if (!current || !current->persistencePending) return {};
    copy = current->grant;
    version = grantVersion_.stamp();
  }
  const Status saved =
      store_.save(profile_, StoredCredential{AuthKind::OAuth, copy->toJson()});
  LockGuard lock(mutex_);
  GrantHeld* current = held();
  if (current && grantVersion_.isCurrent(version)) {
    current->persistencePending = !saved.ok();
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
    LockGuard lock(mutex_);
    const auto* missing = std::get_if<GrantMissing>(&state_);
    retryLoad = missing && missing->loadPending;
  }
  if (retryLoad) (void)load();
  (void)persistPending();

  LockGuard lock(mutex_);
  BootTime now = clock_.boottime();
  if (const GrantHeld* current = held(); current && !current->refreshRefused && !refreshing_) {
    if (!current->grant.refreshToken) {
      if (now >= current->expiryDeadline &&
          enterLoginRequiredLocked("the access token expired and there is no refresh token")) {
        const Generation::Stamp dropped = epoch_.stamp();
        lock.unlock();
        afterLoginRequired(dropped);
        lock.lock();
      }
    } else if (now >= current->refreshDeadline && now >= current->nextAttempt) {
      runRefresh();
    }
  }
  now = clock_.boottime();
  BootTime next = now + kMaxTickInterval;
  if (const GrantHeld* current = held(); current && !current->refreshRefused) {
    const BootTime due = std::max(current->refreshDeadline, current->nextAttempt);
    if (due > now) next = std::min(next, due);
    if (!current->grant.refreshToken && current->expiryDeadline > now) {
      next = std::min(next, current->expiryDeadline);
    }
  }
  if (const GrantHeld* current = held(); current && current->persistencePending) {
    next = std::min(next, now + kPersistRetryInterval);
  }
  return next;
}

bool TokenManager::enterLoginRequiredLocked(const std::string& reason) {
  const bool transition = !std::holds_alternative<GrantRejected>(state_);
  state_ = GrantRejected{};
  epoch_.advance();
  grantVersion_.advance();
  lastError_ =
      Error(ErrorCode::LoginRequired, reason + "; run `wpectl login --profile " + profile_ + "`");
  if (transition) logger_.warning("profile " + profile_ + ": login required: " + reason);
  return transition;
}

void TokenManager::afterLoginRequired(Generation::Stamp dropped) {
  {
    LockGuard persist(persistMutex_);
    bool current;
    {
      LockGuard lock(mutex_);
      current = epoch_.isCurrent(dropped);  // not when a new login was installed meanwhile
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

void TokenManager::runRefresh() {
  refreshing_ = true;
  const Generation::Stamp epoch = epoch_.stamp();
  const OAuthGrant base = held()->grant;
  mutex_.unlock();

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
    LockGuard persist(persistMutex_);
    bool current;
    {
      LockGuard check(mutex_);
      current = epoch_.isCurrent(epoch);
    }
    const Status saved =
        current
            ? store_.save(profile_, StoredCredential{AuthKind::OAuth, fresh.toJson()})
            : Status();
    mutex_.lock();
    if (epoch_.isCurrent(epoch)) {
      const std::string expires = formatRfc3339(fresh.expiresAt);
      setGrantLocked(std::move(fresh)).persistencePending = !saved.ok();
      lastRefreshAt_ = clock_.now();
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
    mutex_.lock();
    // The epoch is unchanged only while the grant this refresh began with is still held.
    GrantHeld* current = epoch_.isCurrent(epoch) ? held() : nullptr;
    if (current) {
      const TokenFailure& f = out.failure;
      if (f.invalidGrant()) {
        loginTransition =
            enterLoginRequiredLocked("the refresh token was rejected (invalid_grant)");
      } else if (f.transient()) {
        ++current->failures;
        const auto delay = RefreshPolicy::backoff(current->failures, random01_(), f.retryAfter);
        current->nextAttempt = clock_.boottime() + delay;
        lastError_ = f.toError();
        logger_.warning(
            "profile " + profile_ + ": token refresh failed (" + f.message + "); retrying in " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(delay).count()) + " s");
      } else {
        current->refreshRefused = true;
        lastError_ = f.toError();
        logger_.error("profile " + profile_ + ": token refresh refused: " + f.message);
      }
    }
  }
  refreshing_ = false;
  refreshes_.advance();
  const Generation::Stamp epochNow = epoch_.stamp();
  refreshed_.notifyAll();
  if (loginTransition) {
    mutex_.unlock();
    afterLoginRequired(epochNow);
    mutex_.lock();
  }
}

bool TokenManager::refreshOnce() {
  if (!refreshing_) {
    runRefresh();
    // A caller's refresh moved the schedule (a new deadline, or a backoff to retry after).
    mutex_.unlock();
    scheduleChanged();
    mutex_.lock();
    return true;
  }
  const Generation::Stamp inFlight = refreshes_.stamp();
  const auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  while (refreshes_.isCurrent(inFlight)) {
    if (!refreshed_.waitUntil(mutex_, deadline) && refreshes_.isCurrent(inFlight)) return false;
  }
  return true;
}

Error TokenManager::unusableError() const {
  const std::string hint = "; run `wpectl login --profile " + profile_ + "`";
  if (std::holds_alternative<GrantRejected>(state_)) {
    return lastError_ ? *lastError_ : Error(ErrorCode::LoginRequired, "login required" + hint);
  }
  if (std::holds_alternative<GrantMissing>(state_)) {
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

IssuedToken TokenManager::issue(const OAuthGrant& grant) {
  auto info = std::make_shared<TokenInfo>();
  info->accessToken = grant.accessToken;
  info->tokenType = grant.tokenType;
  info->expiresAt = grant.expiresAt;
  info->authorization = grant.authorization();
  return info;
}

Result<IssuedToken> TokenManager::token(std::chrono::seconds minValid) {
  return tokenFor(minValid, false);
}

Result<IssuedToken> TokenManager::tokenFor(std::chrono::seconds minValid, bool capToLead) {
  LockGuard lock(mutex_);
  bool attempted = false;
  for (;;) {
    const GrantHeld* current = held();  // again after each refresh: it replaces the state
    if (!current) return unusableError();
    const BootTime now = clock_.boottime();
    const BootTime expiry = current->expiryDeadline;
    // Short-lived tokens: the floor (and for authorization() the whole demand) shrinks to the
    // refresh lead, or every request would refresh a token that can never satisfy it.
    const BootTime lead = expiry - current->refreshDeadline;
    BootTime need = std::max<BootTime>(minValid, std::min<BootTime>(kMinValidFloor, lead));
    if (capToLead) need = std::min(need, lead);
    // Enough validity left: serve it, even past the refresh deadline — tick() refreshes on
    // schedule, and callers need not wait on the network for a token that still works.
    if (expiry - now >= need) return current->issued;
    const bool canRefresh =
        current->grant.refreshToken && !current->refreshRefused && now >= current->nextAttempt;
    if (attempted || !canRefresh) {
      if (capToLead && expiry - now >= std::min<BootTime>(kMinValidFloor, lead / 2)) {
        // The API still accepts this token: a refresh that failed or is backing off (an
        // authorization server outage, a 429) must not turn working requests into errors.
        return current->issued;
      }
      if (!current->grant.refreshToken) {
        return Error(ErrorCode::LoginRequired,
                     "the access token expires and there is no refresh token; run `wpectl "
                     "login --profile " +
                         profile_ + "`");
      }
      if (attempted && current->failures == 0 && !current->refreshRefused && expiry > now) {
        // The refresh worked; the server just issues shorter-lived tokens than asked for.
        return Error(ErrorCode::BadRequest,
                     "tokens of this profile do not live long enough for "
                     "the requested min_valid");
      }
      return unusableError();
    }
    if (!refreshOnce()) {
      return Error(ErrorCode::Unavailable, "the token refresh is taking too long; try again");
    }
    attempted = true;
  }
}

Result<Secret> TokenManager::authorization(std::chrono::seconds minValid) {
  auto info = tokenFor(minValid, true);
  if (!info) return info.error();
  return (*info)->authorization;
}

Result<Secret> TokenManager::afterUnauthorized(const Secret& rejected) {
  {
    LockGuard lock(mutex_);
    const auto isRejected = [&rejected](const GrantHeld* h) {
      return h && (h->grant.authorization() == rejected || h->grant.accessToken == rejected);
    };
    if (const GrantHeld* current = held(); isRejected(current)) {
      const BootTime now = clock_.boottime();
      if (!current->grant.refreshToken || current->refreshRefused) return unusableError();
      if (now < current->nextAttempt) return unusableError();
      if (!refreshOnce()) {
        return Error(ErrorCode::Unavailable, "the token refresh is taking too long; try again");
      }
      if (!held()) return unusableError();
      // The refresh failed: the rejected token is all we have.
      if (isRejected(held())) return unusableError();
    }
  }
  // Another caller already refreshed (or we just did): the current token, if still good.
  return authorization(kMinValidFloor);
}

Status TokenManager::logout() {
  std::optional<OAuthGrant> old;
  {
    LockGuard lock(mutex_);
    if (GrantHeld* current = held()) old = std::move(current->grant);
    state_ = GrantMissing{};
    epoch_.advance();
    grantVersion_.advance();
    lastError_.reset();
  }
  refreshed_.notifyAll();
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
  LockGuard persist(persistMutex_);
  Status erased = store_.erase(profile_);
  logger_.information("profile " + profile_ + ": logged out");
  return erased;
}

TokenSnapshot TokenManager::snapshot() const {
  LockGuard lock(mutex_);
  TokenSnapshot s;
  s.lastRefreshAt = lastRefreshAt_;
  if (lastError_) s.lastError = lastError_->message;
  const BootTime bootNow = clock_.boottime();
  const WallTime wallNow = clock_.now();
  if (std::holds_alternative<GrantRejected>(state_)) {
    s.state = TokenState::LoginRequired;
  } else if (std::holds_alternative<GrantMissing>(state_)) {
    s.state = lastError_ ? TokenState::Error : TokenState::None;
  } else {
    const GrantHeld& current = std::get<GrantHeld>(state_);
    s.persistencePending = current.persistencePending;
    s.expiresAt = current.grant.expiresAt;
    if (refreshing_) {
      s.state = TokenState::Refreshing;
    } else if (current.refreshRefused || bootNow >= current.expiryDeadline) {
      // Never "valid" with an expires_at in the past, whatever kept the refresh from running.
      s.state = TokenState::Error;
      if (s.lastError.empty()) s.lastError = "the access token expired before it was refreshed";
    } else {
      s.state = TokenState::Valid;
    }
    if (!current.refreshRefused && current.grant.refreshToken) {
      const BootTime due = std::max({current.refreshDeadline, current.nextAttempt, bootNow});
      s.nextRefreshAt = wallNow + std::chrono::duration_cast<WallTime::duration>(due - bootNow);
    }
  }
  return s;
}

}  // namespace wpe
