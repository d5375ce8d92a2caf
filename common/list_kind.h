#pragma once
// ListKind: the three lists the daemon caches per profile. The names are the API's
// collection paths (/sites, /installs, /accounts) and the local API's route names.

#include <array>
#include <optional>
#include <string_view>

#include "common/enum_names.h"

namespace wpe {

enum class ListKind { Sites, Installs, Accounts };

inline constexpr std::array<ListKind, 3> kAllListKinds{ListKind::Sites, ListKind::Installs,
                                                       ListKind::Accounts};

inline constexpr std::array<EnumName<ListKind>, 3> kListKindNames{{
    {ListKind::Sites, "sites"},
    {ListKind::Installs, "installs"},
    {ListKind::Accounts, "accounts"},
}};

// One item of the list, for messages ("no site …").
inline constexpr std::array<EnumName<ListKind>, 3> kListKindSingulars{{
    {ListKind::Sites, "site"},
    {ListKind::Installs, "install"},
    {ListKind::Accounts, "account"},
}};

inline const char* listKindName(ListKind kind) { return enumName(kListKindNames, kind); }
inline std::optional<ListKind> listKindFromName(std::string_view name) {
  return enumFromName(kListKindNames, name);
}

}  // namespace wpe
