#include "daemon/cache/list_kind.h"

namespace wpe {

const char* listKindName(ListKind kind) {
  switch (kind) {
    case ListKind::Sites:
      return "sites";
    case ListKind::Installs:
      return "installs";
    case ListKind::Accounts:
      return "accounts";
  }
  return "sites";
}

std::optional<ListKind> listKindFromName(std::string_view name) {
  for (ListKind kind : kAllListKinds) {
    if (name == listKindName(kind)) return kind;
  }
  return std::nullopt;
}

}  // namespace wpe
