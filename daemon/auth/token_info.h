#pragma once
// TokenInfo: what `GET /v1/profiles/{p}/token` answers — a currently valid access token.

#include <string>

#include "common/secret.h"
#include "daemon/core/clock.h"

namespace wpe {

struct TokenInfo {
  Secret accessToken;
  std::string tokenType = "Bearer";
  WallTime expiresAt;
  Secret authorization;  // "Bearer <access token>"
};

}  // namespace wpe
