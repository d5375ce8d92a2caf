#pragma once
// TokenInfo: what `GET /v1/profiles/{p}/token` answers — a currently valid credential and how
// to use it. TokenManager fills the OAuth fields; Profile::token() adds the api_key and Basic
// cases (one type for both, so the endpoint has one thing to serialise).
//
// IssuedToken: a TokenInfo as handed out — built once when the credential or the token
// changes (a login, a restore, a refresh), immutable, and shared by every request while it is
// current. Nobody copies its secrets per request, and what a request derives from it (the
// endpoint's serialised reply, `reply`) is kept with it and wiped with it when the last holder
// lets go: after a refresh or logout, once the requests in flight are answered.

#include <memory>
#include <optional>
#include <string>

#include "common/secret.h"
#include "daemon/auth/secret_memo.h"
#include "daemon/time/clock.h"

namespace wpe {

struct TokenInfo {
  Secret accessToken;  // the key, the Basic password's header value, or the access token
  std::string tokenType = "Bearer";   // "ApiKey" | "Basic" | "Bearer"
  std::optional<WallTime> expiresAt;  // only for OAuth
  Secret authorization;               // the whole Authorization value, e.g. "Bearer <token>"
  std::string user;                   // basic: the API user id
  std::optional<Secret> password;     // basic: the API password (for `wpectl exec`)
  // The token endpoint's answer for this token, made by the first request that asks (the
  // token is the local API's hottest call, issue 10). Its format is the endpoint's.
  SecretMemo reply;
};

using IssuedToken = std::shared_ptr<const TokenInfo>;

}  // namespace wpe
