#pragma once
// AuthKind: how a profile authenticates, as configured (auth = "…"), as GET /v1/profiles and
// /v1/status show it and as a login request names its method.

#include <optional>
#include <string_view>

#include "common/enum_names.h"

namespace wpe {

enum class AuthKind { ApiKey, Basic, OAuth };

inline constexpr std::array<EnumName<AuthKind>, 3> kAuthKindNames{{
    {AuthKind::ApiKey, "api_key"},
    {AuthKind::Basic, "basic"},
    {AuthKind::OAuth, "oauth"},
}};

inline const char* authKindName(AuthKind kind) { return enumName(kAuthKindNames, kind); }
inline std::optional<AuthKind> authKindFromName(std::string_view name) {
  return enumFromName(kAuthKindNames, name);
}

}  // namespace wpe
