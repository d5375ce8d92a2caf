#pragma once
// TokenOutcome: the result of a token endpoint request — tokens, or a classified failure.
// (Not Result<T>: the refresh logic needs the OAuth error code and Retry-After, which a plain
// Error flattens.)

#include <optional>

#include "daemon/auth/token_failure.h"
#include "daemon/auth/token_response.h"

namespace wpe {

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
