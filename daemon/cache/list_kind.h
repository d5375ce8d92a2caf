#pragma once
// ListKind: the three lists the daemon caches per profile. The names are the API's
// collection paths (/sites, /installs, /accounts) and the local API's route names.

#include <array>
#include <optional>
#include <string_view>

namespace wpe {

enum class ListKind { Sites, Installs, Accounts };

inline constexpr std::array<ListKind, 3> kAllListKinds{ListKind::Sites, ListKind::Installs,
                                                       ListKind::Accounts};

const char* listKindName(ListKind kind);  // "sites" | "installs" | "accounts"
std::optional<ListKind> listKindFromName(std::string_view name);

}  // namespace wpe
