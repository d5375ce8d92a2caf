#include "common/profile_name.h"

namespace wpe {

bool isValidProfileName(std::string_view name) {
  if (name.empty() || name.size() > kMaxProfileNameBytes) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace wpe
