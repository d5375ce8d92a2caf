#pragma once
// TokenSnapshot: one oauth profile's token state for `wpectl status` — no secret in it.

#include <optional>
#include <string>

#include "common/token_state.h"
#include "daemon/time/clock.h"

namespace wpe {

struct TokenSnapshot {
  TokenState state = TokenState::None;
  std::optional<WallTime> expiresAt;      // access token expiry (wall clock)
  std::optional<WallTime> lastRefreshAt;  // last successful refresh
  std::optional<WallTime> nextRefreshAt;  // next attempt, from the boottime deadline
  std::string lastError;                  // escaped, no secrets; empty when none
  bool persistencePending = false;        // the keyring does not hold the current grant yet
};

}  // namespace wpe
