#pragma once
// TokenResponseParser: validates token endpoint bodies before anything is stored
// (docs/security.md rule 8). Stateless; thread-safe; never throws.
//
// Success (2xx) bodies must be a JSON object of at most kMaxBodyBytes with
//  - access_token: a non-empty string
//  - token_type:   "bearer", any case (normalised to "Bearer")
//  - expires_in:   an integer in 1..31,536,000 (one year); absent ⇒ kDefaultExpiresIn (3600 s,
//                  RFC 6749 §5.1 makes it RECOMMENDED, an hour is what most servers issue)
//  - refresh_token, scope: optional strings; unknown fields are ignored.
// Anything else is a Final failure naming the problem (never a value from the body).
// Error bodies ({"error","error_description"}) become OAuthError failures keeping the code.

#include <chrono>
#include <cstddef>
#include <string_view>

#include "daemon/auth/token_outcome.h"

namespace wpe {

class TokenResponseParser {
 public:
  static constexpr std::size_t kMaxBodyBytes = 64 * 1024;
  static constexpr std::chrono::seconds kDefaultExpiresIn{3600};
  static constexpr std::chrono::seconds kMaxExpiresIn{31'536'000};

  // A 2xx body.
  static TokenOutcome parseSuccess(std::string_view body);

  // A non-2xx body: an OAuthError failure when it is a JSON object with a string "error",
  // otherwise a Final failure saying what came back (status and content kind only).
  static TokenFailure parseError(int httpStatus, std::string_view body);
};

}  // namespace wpe
