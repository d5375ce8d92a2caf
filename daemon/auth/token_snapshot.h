#pragma once
// TokenSnapshot: one oauth profile's token state for `wpectl status` — no secret in it.

#include <optional>
#include <string>

#include "daemon/core/clock.h"

namespace wpe {

enum class TokenState {
  None,           // no grant: never logged in, or logged out
  Valid,          // a grant is held; refreshed on schedule
  Refreshing,     // a refresh request is in flight
  LoginRequired,  // the refresh token was rejected (or none is left); run `wpectl login`
  Error,          // the token expired (the last refresh failed, or none ran in time), or the
                  // refresh failed for good
};

// "none" | "valid" | "refreshing" | "login_required" | "error"
const char* tokenStateName(TokenState state);

struct TokenSnapshot {
  TokenState state = TokenState::None;
  std::optional<WallTime> expiresAt;      // access token expiry (wall clock)
  std::optional<WallTime> lastRefreshAt;  // last successful refresh
  std::optional<WallTime> nextRefreshAt;  // next attempt, from the boottime deadline
  std::string lastError;                  // escaped, no secrets; empty when none
  bool persistencePending = false;        // the keyring does not hold the current grant yet
};

}  // namespace wpe
