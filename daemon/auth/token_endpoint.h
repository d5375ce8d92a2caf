#pragma once
// TokenEndpoint: the three requests an OAuth client makes to the authorization server.
// An interface so TokenManager and LoginSession can be driven by a fake in tests; the real
// one is OAuthClient. Implementations are thread-safe and never throw.

#include <optional>
#include <string>

#include "common/result.h"
#include "common/secret.h"
#include "daemon/auth/token_outcome.h"

namespace wpe {

class TokenEndpoint {
 public:
  virtual ~TokenEndpoint() = default;

  // Authorization code grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5). Sent once, never
  // retried: a code is single use, and a retry after a lost answer could only fail.
  virtual TokenOutcome exchangeCode(const Secret& code, const Secret& verifier,
                                    const std::string& redirectUri,
                                    const std::optional<Secret>& clientSecret) = 0;

  // Refresh token grant (RFC 6749 §6). One request; retry decisions belong to the caller.
  virtual TokenOutcome refresh(const Secret& refreshToken,
                               const std::optional<Secret>& clientSecret) = 0;

  // Token revocation (RFC 7009); hint is "refresh_token" or "access_token".
  // Unavailable when the profile has no revoke_url.
  virtual Status revoke(const Secret& token, const std::string& hint,
                        const std::optional<Secret>& clientSecret) = 0;
};

}  // namespace wpe
