#pragma once
// TokenManager: one oauth profile's tokens — the Authorizer for `auth = oauth`.
//
// Holds the OAuthGrant in memory, persists it through the CredentialStore (one JSON Secret per
// profile) and keeps it fresh (docs/security.md rules 9, 12, 10):
//  - Deadlines are on Clock::boottime() (suspend counts). A persisted wall-clock expiry is
//    converted on load: deadline = boottime_now + (expires_at − wall_now).
//  - The refresh is due at expiry − RefreshPolicy::refreshLead(lifetime). tick() performs due
//    refreshes; token()/authorization() refresh first when less than minValid (at least
//    kMinValidFloor, or the refresh lead when tokens live shorter) remains (otherwise they
//    get the current token, also past the refresh deadline: tick() refreshes on schedule) —
//    single flight: concurrent callers wait (at most kMaxWait) for the one request in flight
//    and all get its result.
//  - authorization() (the sync and the passthrough, which ask for a fixed 60 s) never asks for
//    more than the refresh lead: with 6 s tokens it gets a token with ≥ 3 s left instead of a
//    refresh per request. When that refresh fails or backs off, authorization() still serves
//    the current token while min(kMinValidFloor, lead/2) of it remains. token() (an explicit
//    min_valid from a user) is not capped: asking for more than the server's tokens live is a
//    BadRequest, and a failed refresh is reported.
//  - The onScheduleChanged callback runs (no locks held) when the next due time moved other
//    than by tick() itself: after install() and after a refresh run by a caller, so the
//    scheduler re-reads tick() instead of sleeping until its old deadline.
//  - Transient failures back off (full jitter, Retry-After as a floor); the backoff applies to
//    callers too, so a 429 is never answered with an earlier request.
//  - A response is persisted before its access token is handed out. If the store fails the
//    grant is kept in memory, persistencePending is reported and tick() retries the save.
//    No refresh_token in the response ⇒ the old one is kept.
//  - invalid_grant ⇒ login_required: the grant is dropped from memory and the store, the
//    onLoginRequired callback runs once per transition, and nothing is retried until
//    install(). Other final failures (e.g. invalid_client) stop automatic refreshes too; the
//    token is served while valid, after that callers get the error.
//  - An expired token is never handed out.
// Thread-safe (mutex_ guards the state; persistMutex_ only orders keyring writes, see below).
// No lock is held during network or keyring I/O. Borrows every collaborator;
// they must outlive it. The callbacks are invoked without locks held, from the calling thread.

#include <Poco/Logger.h>

#include <functional>
#include <optional>
#include <string>

#include "common/cond_var.h"
#include "common/generation.h"
#include "common/mutex.h"
#include "daemon/auth/grant_state.h"
#include "daemon/auth/oauth_grant.h"
#include "daemon/auth/token_endpoint.h"
#include "daemon/auth/token_info.h"
#include "daemon/auth/token_snapshot.h"
#include "daemon/upstream/authorizer.h"
#include "daemon/time/clock.h"
#include "daemon/credentials/credential_store.h"

namespace wpe {

class TokenManager final : public Authorizer {
 public:
  // 10 s: a token handed out must survive at least one request round trip.
  static constexpr std::chrono::seconds kMinValidFloor{10};
  // 30 s: longer than one token request with its transport timeouts, short enough that a
  // stuck refresh does not hang a client for long.
  static constexpr std::chrono::seconds kMaxWait{30};
  static constexpr std::chrono::seconds kMaxTickInterval{60};
  // 5 s: while rotated tokens live only in memory, a crash would lose the grant; retry the
  // keyring soon (each attempt is bounded by the store's own deadline).
  static constexpr std::chrono::seconds kPersistRetryInterval{5};

  using LoginRequiredCallback = std::function<void(const std::string& profile)>;

  // profile: the profile name (store key, log prefix). random01: uniform [0,1) for jitter
  // (RefreshPolicy::systemRandom() in the daemon).
  TokenManager(std::string profile, const Clock& clock, CredentialStore& store,
               TokenEndpoint& endpoint, Poco::Logger& logger, std::function<double()> random01,
               LoginRequiredCallback onLoginRequired, std::function<void()> onScheduleChanged = {});

  // Restores the grant from the store (call once at start; a no-op while a grant is held or
  // login is required).
  // A missing item is not an error.
  // Keyring unavailable/locked: that error; tick() keeps retrying the load. A corrupt blob:
  // Internal, state error (a new login replaces it).
  Status load() EXCLUDES(mutex_);

  // After a login: persist first, then serve. A store failure keeps the grant in memory
  // with persistencePending (retried by tick()) and still returns ok, logged as a warning.
  Status install(OAuthGrant grant) EXCLUDES(mutex_);

  // Performs what is due (load retry, save retry, refresh) and returns the boottime at
  // which it wants to be called next (never later than kMaxTickInterval from now).
  BootTime tick() EXCLUDES(mutex_);

  // A token valid for at least max(minValid, kMinValidFloor).
  // LoginRequired: no grant, invalid_grant, or expired without a refresh token.
  // RateLimited / UpstreamUnreachable / UpstreamError: a refresh was needed and failed
  // (or is backing off); Unavailable: the refresh in flight took longer than kMaxWait.
  // The same IssuedToken until the grant changes.
  Result<IssuedToken> token(std::chrono::seconds minValid) EXCLUDES(mutex_);

  // Authorizer
  Result<Secret> authorization(std::chrono::seconds minValid) EXCLUDES(mutex_) override;
  Result<Secret> afterUnauthorized(const Secret& rejected) EXCLUDES(mutex_) override;

  // Revokes the refresh token when the profile has a revoke_url (best effort, logged), then
  // erases the store item whatever the answer. Returns the erase result.
  Status logout() EXCLUDES(mutex_);

  TokenSnapshot snapshot() const EXCLUDES(mutex_);

 private:
  // The grant just loaded, installed or refreshed, with its deadlines; a new grant version.
  GrantHeld& setGrantLocked(OAuthGrant grant) REQUIRES(mutex_);
  GrantHeld* held() REQUIRES(mutex_) { return std::get_if<GrantHeld>(&state_); }
  Result<IssuedToken> tokenFor(std::chrono::seconds minValid, bool capToLead) EXCLUDES(mutex_);
  void scheduleChanged() EXCLUDES(mutex_);
  // Runs one refresh as the leader, or waits for the one in flight; returns with mutex_ held
  // again once that refresh finished (true) or after kMaxWait (false).
  bool refreshOnce() REQUIRES(mutex_);
  // Refreshes the held grant; releases mutex_ for the request and the keyring write.
  void runRefresh() REQUIRES(mutex_);
  // Drops the grant; true when this is a transition (the callback must run).
  bool enterLoginRequiredLocked(const std::string& reason) REQUIRES(mutex_);
  // Erases the rejected grant unless a newer one was installed since `dropped`, then runs
  // the callback.
  void afterLoginRequired(Generation::Stamp dropped) EXCLUDES(mutex_, persistMutex_);
  Error unusableError() const REQUIRES(mutex_);  // why the current state cannot serve a token
  Status persistPending() EXCLUDES(mutex_, persistMutex_);
  static IssuedToken issue(const OAuthGrant& grant);

  const std::string profile_;
  const Clock& clock_;
  CredentialStore& store_;
  TokenEndpoint& endpoint_;
  Poco::Logger& logger_;
  std::function<double()> random01_;
  LoginRequiredCallback onLoginRequired_;
  std::function<void()> onScheduleChanged_;

  // Serialises store writes so an older grant never overwrites a newer one; taken before
  // mutex_ when both are needed. Held across keyring I/O, but readers never take it.
  Mutex persistMutex_;

  mutable Mutex mutex_ ACQUIRED_AFTER(persistMutex_);
  CondVar refreshed_;  // signalled when a refresh finishes
  GrantState state_ GUARDED_BY(mutex_);
  bool refreshing_ GUARDED_BY(mutex_) = false;  // a refresh request is in flight
  Generation refreshes_ GUARDED_BY(mutex_);     // advanced when a refresh finishes
  // Advanced by install/logout/login_required/a restore: a refresh begun before drops its
  // result, and a stale login_required does not erase a newer login.
  Generation epoch_ GUARDED_BY(mutex_);
  Generation grantVersion_ GUARDED_BY(mutex_);  // advanced whenever the grant changes
  std::optional<Error> lastError_ GUARDED_BY(mutex_);
  std::optional<WallTime> lastRefreshAt_ GUARDED_BY(mutex_);
};

}  // namespace wpe
