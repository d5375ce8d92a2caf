#pragma once
// TokenInfo: what `GET /v1/profiles/{p}/token` answers — a currently valid credential and how
// to use it. TokenManager fills the OAuth fields; Profile::token() adds the api_key and Basic
// cases (one type for both, so the endpoint has one thing to serialise).

#include <optional>
#include <string>

#include "common/secret.h"
#include "daemon/time/clock.h"

namespace wpe {

struct TokenInfo {
  Secret accessToken;  // the key, the Basic password's header value, or the access token
  std::string tokenType = "Bearer";   // "ApiKey" | "Basic" | "Bearer"
  std::optional<WallTime> expiresAt;  // only for OAuth
  Secret authorization;               // the whole Authorization value, e.g. "Bearer <token>"
  std::string user;                   // basic: the API user id
  std::optional<Secret> password;     // basic: the API password (for `wpectl exec`)
};

}  // namespace wpe
