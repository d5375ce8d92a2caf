#pragma once
// OAuthGrant: what the keyring holds for one oauth profile — ONE JSON secret value
// (docs/interface.md "Credential kinds"): {"access_token","token_type","expires_at" (RFC 3339 UTC),"lifetime" (s),
// "refresh_token"?,"scope","client_secret"?}. The JSON text only ever lives inside a Secret.
// expires_at is wall time because it must survive restarts (docs/security.md rule 10); the
// TokenManager converts it to a boottime deadline when loading.
// A value type; not thread-safe by itself. fromJson never throws: a corrupt blob is an error.

#include <chrono>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/secret.h"
#include "daemon/time/clock.h"

namespace wpe {

struct OAuthGrant {
  Secret accessToken;
  std::string tokenType = "Bearer";
  WallTime expiresAt;
  std::chrono::seconds lifetime{0};  // expires_in as issued; the refresh margin is based on it
  std::optional<Secret> refreshToken;
  std::string scope;
  std::optional<Secret> clientSecret;  // confidential clients only

  Secret toJson() const;
  // BadRequest-free by design: Internal with a message naming the broken field (never its value).
  static Result<OAuthGrant> fromJson(const Secret& json);

  // The Authorization header value: "Bearer <access token>".
  Secret authorization() const;
};

}  // namespace wpe
