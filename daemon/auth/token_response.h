#pragma once
// TokenResponse: a token endpoint answer that passed validation (docs/security.md rule 8).
// A value type; the tokens are Secrets.

#include <chrono>
#include <optional>
#include <string>

#include "common/secret.h"

namespace wpe {

struct TokenResponse {
  Secret accessToken;
  std::string tokenType = "Bearer";  // validated "bearer" (any case), normalised
  std::chrono::seconds expiresIn{3600};
  std::optional<Secret> refreshToken;  // absent: the caller keeps the one it has
  std::string scope;                   // empty when the server did not say
};

}  // namespace wpe
