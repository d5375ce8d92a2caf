#pragma once
// Profile names are [A-Za-z0-9_-]{1,64}: they appear in URL paths, keyring attributes and
// file names, so nothing that could be a path step, a separator or a control character.

#include <cstddef>
#include <string_view>

namespace wpe {

inline constexpr std::size_t kMaxProfileNameBytes = 64;

bool isValidProfileName(std::string_view name);

}  // namespace wpe
