#include "daemon/auth/login_session.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "common/html_escape.h"
#include "common/log_escape.h"
#include "daemon/auth/url_encoding.h"

namespace wpe {

namespace {

// The watchdog re-checks the boottime deadline this often (so suspend counts, docs/security.md rule 10).
constexpr std::chrono::milliseconds kWatchdogPoll{200};

LoopbackReply page(int status, const std::string& title, const std::string& text) {
  return {status, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + htmlEscape(title) +
                      "</title></head><body><h1>" + htmlEscape(title) + "</h1><p>" +
                      htmlEscape(text) + "</p></body></html>"};
}

// Parameters of a query string; nullopt when one appears twice (RFC 6749 §3.1: MUST NOT) or
// holds a malformed %-escape (Poco::URI::decode throws URISyntaxException on "%zz").
std::optional<std::map<std::string, std::string>> parseQuery(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  try {
    while (pos <= query.size() && !query.empty()) {
      auto end = query.find('&', pos);
      if (end == std::string::npos) end = query.size();
      const std::string pair = query.substr(pos, end - pos);
      if (!pair.empty()) {
        const auto eq = pair.find('=');
        std::string key, value;
        Poco::URI::decode(pair.substr(0, eq), key, true);
        if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
        if (!out.emplace(std::move(key), std::move(value)).second) return std::nullopt;
      }
      pos = end + 1;
    }
  } catch (const Poco::SyntaxException&) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

LoginSession::LoginSession(ProfileConfig profile, TokenEndpoint& endpoint, const Clock& clock,
                           Poco::Logger& logger, std::optional<Secret> clientSecret,
                           Completion onComplete, std::chrono::milliseconds timeout)
    : profile_(std::move(profile)),
      endpoint_(endpoint),
      clock_(clock),
      logger_(logger),
      clientSecret_(std::move(clientSecret)),
      onComplete_(std::move(onComplete)),
      timeout_(timeout),
      listener_(logger) {}

LoginSession::~LoginSession() {
  cancel("the login was abandoned");
  std::thread watchdog;
  {
    LockGuard lock(mutex_);
    watchdog = std::move(watchdog_);
  }
  if (watchdog.joinable()) watchdog.join();
  listener_.stop();
}

Status LoginSession::start() {
  {
    LockGuard lock(mutex_);
    if (started_) return Error(ErrorCode::Conflict, "login already started");
    started_ = true;
  }
  auto pkce = Pkce::generate();
  if (!pkce) {
    finish(LoginState::Failed, pkce.error());
    return pkce.error();
  }
  pkce_ = std::move(pkce).value();
  auto port = listener_.start(profile_.redirectPort,
                              [this](const std::string& path, const std::string& query) {
                                return handleCallback(path, query);
                              });
  if (!port) {
    LockGuard lock(mutex_);
    outcome_ = published_ = LoginStatus{LoginState::Failed, port.error()};
    return port.error();
  }
  redirectUri_ = "http://127.0.0.1:" + std::to_string(port.value()) + "/callback";
  // The endpoint exactly as configured, its own query kept (e.g. .../o/authorize/?tenant=x).
  authorizeUrl_ = withQuery(
      profile_.authorizeUrl,
      "response_type=code&client_id=" + percentEncode(profile_.clientId) +
          "&redirect_uri=" + percentEncode(redirectUri_) +
          "&scope=" + percentEncode(profile_.scope) + "&state=" + percentEncode(pkce_.state) +
          "&code_challenge=" + percentEncode(pkce_.challenge) + "&code_challenge_method=S256");
  expiresAt_ = clock_.now() + std::chrono::duration_cast<WallTime::duration>(timeout_);
  deadline_ = clock_.boottime() + timeout_;
  {
    LockGuard lock(mutex_);
    watching_ = true;
    watchdog_ = std::thread([this] { watchdog(); });
  }
  logger_.information("profile " + profile_.name + ": OAuth login pending, listening on " +
                      "127.0.0.1:" + std::to_string(port.value()));
  return {};
}

LoginStatus LoginSession::state() const {
  LockGuard lock(mutex_);
  return published_;
}

LoginStatus LoginSession::waitFor(std::chrono::milliseconds timeout) const {
  LockGuard lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (published_.state == LoginState::Pending && changed_.waitUntil(mutex_, deadline)) {
  }
  return published_;
}

void LoginSession::cancel(const std::string& reason) {
  finish(LoginState::Failed, Error(ErrorCode::Conflict, reason));
}

void LoginSession::finish(LoginState state, std::optional<Error> error) {
  LockGuard lock(mutex_);
  if (outcome_) return;
  outcome_ = LoginStatus{state, std::move(error)};
  if (!watching_) published_ = *outcome_;  // never started: nothing to close
  changed_.notifyAll();
}

void LoginSession::watchdog() {
  LockGuard lock(mutex_);
  while (!outcome_) {
    if (clock_.boottime() >= deadline_) {
      outcome_ =
          LoginStatus{LoginState::Failed,
                      Error(ErrorCode::RequestTimeout,
                            "the login was not completed in time; run `wpectl login` again")};
      logger_.warning("profile " + profile_.name + ": OAuth login timed out");
      break;
    }
    changed_.waitUntil(mutex_, std::chrono::steady_clock::now() + kWatchdogPoll);
  }
  lock.unlock();
  listener_.stop();  // closed after the one valid callback, a timeout or a cancel
  lock.lock();
  published_ = *outcome_;
  changed_.notifyAll();
}

LoopbackReply LoginSession::handleCallback(const std::string& path, const std::string& query) {
  return accept(path, query).page;
}

Status LoginSession::completeWithAddress(const Secret& address) {
  // Exactly this login's redirect URI: anything else (another login's port, https, a typo,
  // a truncated paste) is refused before the state is looked at.
  std::string text = address.reveal();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  const std::string prefix = redirectUri_ + "?";
  if (redirectUri_.empty() || text.compare(start, prefix.size(), prefix) != 0) {
    return Error(ErrorCode::BadRequest,
                 "that is not this login's callback address; paste the whole address the "
                 "browser ended on, starting with " +
                     prefix);
  }
  std::string query = text.substr(start + prefix.size());
  query = query.substr(0, query.find('#'));  // a fragment is the browser's, not the server's
  CallbackResult result = accept("/callback", query);
  std::fill(text.begin(), text.end(), '\0');
  std::fill(query.begin(), query.end(), '\0');
  switch (result.verdict) {
    case Verdict::Taken:
      return {};
    case Verdict::AlreadyUsed:
      return Error(ErrorCode::Conflict, "this login already completed; nothing was changed");
    case Verdict::WrongState:
    case Verdict::NotFound:
      break;
  }
  return Error(ErrorCode::BadRequest,
               "that address does not belong to this login (its state is missing or wrong); "
               "paste the address from the browser tab this login opened");
}

LoginSession::CallbackResult LoginSession::accept(const std::string& path,
                                                  const std::string& query) {
  if (path != "/callback") {
    return {Verdict::NotFound, page(404, "Not found", "There is nothing here.")};
  }
  const auto params = parseQuery(query);
  std::string state;
  if (params) {
    auto it = params->find("state");
    if (it != params->end()) state = it->second;
  }
  {
    LockGuard lock(mutex_);
    if (outcome_ || stateConsumed_) {
      return {Verdict::AlreadyUsed,
              page(400, "Login link already used",
                   "This login is no longer pending. Run wpectl login again if needed.")};
    }
    if (!params || state.empty() || !Pkce::constantTimeEquals(state, pkce_.state)) {
      logger_.warning("profile " + profile_.name +
                      ": OAuth callback with a missing or wrong state ignored");
      return {Verdict::WrongState, page(400, "Invalid login callback",
                                        "This callback does not belong to the pending login.")};
    }
    stateConsumed_ = true;  // single use: a replay from here on gets 400
  }
  if (auto err = params->find("error"); err != params->end()) {
    std::string reason = "the authorization server said " + serverTextForLog(err->second, 64);
    if (auto d = params->find("error_description"); d != params->end() && !d->second.empty()) {
      reason += ": " + serverTextForLog(d->second);
    }
    logger_.warning("profile " + profile_.name + ": OAuth login failed: " + reason);
    finish(LoginState::Failed, Error(ErrorCode::LoginRequired, reason));
    return {Verdict::Taken, page(200, "Login failed",
                                 "Login failed: " + reason +
                                     ". You may close this tab and run wpectl login again.")};
  }
  auto code = params->find("code");
  if (code == params->end() || code->second.empty()) {
    finish(LoginState::Failed,
           Error(ErrorCode::UpstreamError, "the authorization server sent no code"));
    return {Verdict::Taken,
            page(400, "Login failed", "The callback carried no authorization code.")};
  }
  return {Verdict::Taken, exchange(Secret(code->second))};
}

LoopbackReply LoginSession::exchange(const Secret& code) {
  // Sent once; never retried (a code is single use, docs/security.md rule 12).
  TokenOutcome out = endpoint_.exchangeCode(code, pkce_.verifier, redirectUri_, clientSecret_);
  if (!out.ok()) {
    Error e = out.failure.toError();
    if (e.code == ErrorCode::LoginRequired) e.code = ErrorCode::UpstreamError;
    e.message = "the code exchange failed: " + out.failure.message;
    logger_.warning("profile " + profile_.name + ": OAuth login failed: " + e.message);
    finish(LoginState::Failed, e);
    return page(
        200, "Login failed",
        "Login failed: " + e.message + ". You may close this tab and run wpectl login again.");
  }
  TokenResponse& t = *out.tokens;
  OAuthGrant grant;
  grant.accessToken = std::move(t.accessToken);
  grant.tokenType = t.tokenType;
  grant.lifetime = t.expiresIn;
  grant.expiresAt = clock_.now() + t.expiresIn;
  grant.refreshToken = std::move(t.refreshToken);
  grant.scope = t.scope.empty() ? profile_.scope : t.scope;
  grant.clientSecret = clientSecret_;
  Status stored = onComplete_ ? onComplete_(grant) : Status();
  if (!stored) {
    logger_.warning("profile " + profile_.name +
                    ": OAuth login could not be stored: " + stored.error().message);
    finish(LoginState::Failed, stored.error());
    return page(200, "Login failed", "Login failed: " + stored.error().message + ".");
  }
  logger_.information("profile " + profile_.name + ": OAuth login succeeded");
  finish(LoginState::Succeeded, std::nullopt);
  return page(200, "Login complete",
              "wped has your WP Engine authorization. You may close this tab.");
}

}  // namespace wpe
