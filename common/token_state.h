#pragma once
// TokenState: an oauth profile's access-token state as GET /v1/status shows it
// ("token_state"), kept by daemon/auth/TokenManager.

#include "common/enum_names.h"

namespace wpe {

enum class TokenState {
  None,           // no grant: never logged in, or logged out
  Valid,          // a grant is held; refreshed on schedule
  Refreshing,     // a refresh request is in flight
  LoginRequired,  // the refresh token was rejected (or none is left); run `wpectl login`
  Error,          // the token expired (the last refresh failed, or none ran in time), or the
                  // refresh failed for good
};

inline constexpr std::array<EnumName<TokenState>, 5> kTokenStateNames{{
    {TokenState::None, "none"},
    {TokenState::Valid, "valid"},
    {TokenState::Refreshing, "refreshing"},
    {TokenState::LoginRequired, "login_required"},
    {TokenState::Error, "error"},
}};

inline const char* tokenStateName(TokenState state) { return enumName(kTokenStateNames, state); }

}  // namespace wpe
