#pragma once
// LoginState: an OAuth login's progress as GET /v1/logins/{id} shows it ("state":…).

#include <optional>
#include <string_view>

#include "common/enum_names.h"

namespace wpe {

enum class LoginState { Pending, Succeeded, Failed };

inline constexpr std::array<EnumName<LoginState>, 3> kLoginStateNames{{
    {LoginState::Pending, "pending"},
    {LoginState::Succeeded, "succeeded"},
    {LoginState::Failed, "failed"},
}};

inline const char* loginStateName(LoginState state) { return enumName(kLoginStateNames, state); }
inline std::optional<LoginState> loginStateFromName(std::string_view name) {
  return enumFromName(kLoginStateNames, name);
}

}  // namespace wpe
