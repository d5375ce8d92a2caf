#pragma once
// LoginSession: one pending OAuth login (authorization code + PKCE S256), created for
// `POST /v1/profiles/{p}/login {"method":"oauth"}` (docs/architecture.md "Flows", docs/security.md rule
// 7).
//
// start() generates the verifier and state, opens a LoopbackListener on 127.0.0.1
// (redirect_port, or a kernel-chosen port) and builds the authorize URL. The listener then
// accepts exactly one valid callback on the exact path /callback:
//  - other paths → 404, the login stays pending;
//  - state missing or wrong → 400, pending, no token request;
//  - error=… (e.g. access_denied) with the right state → failed, description escaped;
//  - code with the right state → the state is consumed (a replay → 400), the code exchanged
//    exactly once, the answer validated, the OAuthGrant handed to the completion callback
//    (wired to TokenManager::install) → succeeded; any failure → failed with the reason and
//    nothing stored.
// completeWithAddress() is the same callback arriving another way: the address the browser
// ended on, pasted by the user when the browser runs on another machine (an SSH session) and
// cannot reach the listener. Same validation, same single use: the first of listener or paste
// wins. A malformed address or a wrong state is refused and the login stays pending.
// The listener is closed after that one callback, on timeout (→ failed), cancel() or
// destruction. state() leaves pending only once the listener is closed.
// Thread-safe. Starts one watchdog thread in start(); the destructor cancels and joins it.
// Borrows endpoint, clock and logger (they must outlive it).

#include <Poco/Logger.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "common/cond_var.h"
#include "common/login_state.h"
#include "common/mutex.h"
#include "common/result.h"
#include "common/secret.h"
#include "daemon/auth/loopback_listener.h"
#include "daemon/auth/oauth_grant.h"
#include "daemon/auth/pkce.h"
#include "daemon/auth/token_endpoint.h"
#include "daemon/config/profile_config.h"
#include "daemon/time/clock.h"

namespace wpe {

struct LoginStatus {
  LoginState state = LoginState::Pending;
  std::optional<Error> error;  // when failed: what happened (escaped, no secrets)
};

class LoginSession {
 public:
  using Completion = std::function<Status(const OAuthGrant&)>;
  static constexpr std::chrono::seconds kDefaultTimeout{300};

  LoginSession(ProfileConfig profile, TokenEndpoint& endpoint, const Clock& clock,
               Poco::Logger& logger, std::optional<Secret> clientSecret, Completion onComplete,
               std::chrono::milliseconds timeout = kDefaultTimeout);
  ~LoginSession();
  LoginSession(const LoginSession&) = delete;
  LoginSession& operator=(const LoginSession&) = delete;

  // Generates PKCE + state, binds the listener, starts the timeout. Once only.
  Status start();

  const std::string& profile() const { return profile_.name; }
  // Valid after a successful start().
  const std::string& authorizeUrl() const { return authorizeUrl_; }
  const std::string& redirectUri() const { return redirectUri_; }
  std::uint16_t port() const { return listener_.port(); }
  WallTime expiresAt() const { return expiresAt_; }

  LoginStatus state() const;
  // Blocks until the login is no longer pending or `timeout` passed; returns the state.
  LoginStatus waitFor(std::chrono::milliseconds timeout) const;
  // Fails a pending login (e.g. superseded by a new one) and closes the listener.
  void cancel(const std::string& reason);

  // The listener's request handler (public so the routing is testable without sockets).
  LoopbackReply handleCallback(const std::string& path, const std::string& query);

  // The pasted address (http://127.0.0.1:PORT/callback?code=…&state=…). On success the
  // login has left pending (succeeded or failed — see state()). Errors, the login still
  // pending unless said otherwise: BadRequest (not this login's callback address, or the
  // state is missing or wrong), Conflict (the login already completed or is being completed:
  // nothing done). The address and the code are never logged nor put in an error.
  Status completeWithAddress(const Secret& address);

 private:
  enum class Verdict { NotFound, AlreadyUsed, WrongState, Taken };
  struct CallbackResult {
    Verdict verdict;
    LoopbackReply page;
  };
  CallbackResult accept(const std::string& path, const std::string& query);
  void finish(LoginState state, std::optional<Error> error);
  void watchdog();
  LoopbackReply exchange(const Secret& code);

  const ProfileConfig profile_;
  TokenEndpoint& endpoint_;
  const Clock& clock_;
  Poco::Logger& logger_;
  const std::optional<Secret> clientSecret_;
  const Completion onComplete_;
  const std::chrono::milliseconds timeout_;

  Pkce pkce_;
  std::string authorizeUrl_;
  std::string redirectUri_;
  WallTime expiresAt_{};
  BootTime deadline_{};

  mutable Mutex mutex_;
  mutable CondVar changed_;
  bool started_ GUARDED_BY(mutex_) = false;
  bool watching_ GUARDED_BY(mutex_) = false;       // the watchdog runs: it publishes the outcome
  bool stateConsumed_ GUARDED_BY(mutex_) = false;  // the one valid callback arrived
  std::optional<LoginStatus> outcome_ GUARDED_BY(mutex_);  // decided, listener maybe still open
  LoginStatus published_ GUARDED_BY(mutex_);  // what state() reports; final only after close
  std::thread watchdog_;

  LoopbackListener listener_;  // last: destroyed first, while the handler's targets live
};

}  // namespace wpe
