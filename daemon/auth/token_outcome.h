#pragma once
// TokenOutcome: the result of a token endpoint request — tokens, or a classified failure.
// (Not Result<T>: the refresh logic needs the OAuth error code and Retry-After, which a plain
// Error flattens.)
//
// TokenFailure: why a token, refresh or revocation request did not yield tokens, classified
// the way the refresh logic needs it (docs/security.md rule 12):
//  - OAuthError: the server answered an OAuth error body; `oauthError` keeps its code
//    ("invalid_grant" is final and means the user must log in again).
//  - Transient: connect/read failure or 408/425/429/500/502/503/504; `retryAfter` from the
//    Retry-After header (seconds or HTTP date, clamped to an hour) is a floor for the retry.
//  - Final: any other failure (other statuses, a response that failed validation).
// `message` is safe to log and to show: outside text is escaped, never a token.

#include <chrono>
#include <optional>
#include <string>

#include "common/error.h"
#include "daemon/auth/token_response.h"

namespace wpe {

enum class TokenFailureKind { OAuthError, Transient, Final };

struct TokenFailure {
  TokenFailureKind kind = TokenFailureKind::Final;
  std::string oauthError;  // the OAuth "error" code, escaped; empty unless OAuthError
  std::string message;     // one line, escaped
  int httpStatus = 0;      // 0: no response (transport failure)
  std::optional<std::chrono::seconds> retryAfter;

  bool invalidGrant() const {
    return kind == TokenFailureKind::OAuthError && oauthError == "invalid_grant";
  }
  bool transient() const { return kind == TokenFailureKind::Transient; }

  // The error the local API reports: LoginRequired for invalid_grant, RateLimited for 429,
  // UpstreamUnreachable for other transient failures, UpstreamError otherwise.
  Error toError() const {
    ErrorCode code = ErrorCode::UpstreamError;
    if (invalidGrant()) {
      code = ErrorCode::LoginRequired;
    } else if (kind == TokenFailureKind::Transient) {
      code = httpStatus == 429 ? ErrorCode::RateLimited : ErrorCode::UpstreamUnreachable;
    }
    Error e(code, message);
    e.upstreamStatus = httpStatus;
    e.retryAfter = retryAfter;
    return e;
  }
};

struct TokenOutcome {
  std::optional<TokenResponse> tokens;  // set on success
  TokenFailure failure;                 // meaningful only when !ok()

  bool ok() const { return tokens.has_value(); }

  static TokenOutcome success(TokenResponse t) {
    TokenOutcome o;
    o.tokens = std::move(t);
    return o;
  }
  static TokenOutcome fail(TokenFailure f) {
    TokenOutcome o;
    o.failure = std::move(f);
    return o;
  }
};

}  // namespace wpe
