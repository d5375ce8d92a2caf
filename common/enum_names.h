#pragma once
// EnumNames: the one table that maps an enum which crosses the socket (or is persisted) to its
// wire name and back, so a state has its names in one place (common/) instead of a
// hand-written switch per module. Tables are constexpr arrays of {value, name}; lookups are
// linear (the enums have a handful of values).

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace wpe {

template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name of `value`; the table's first name when the value is not in it (a programmer
// error the name-table unit tests rule out: every enumerator has an entry).
template <typename Enum, std::size_t N>
constexpr const char* enumName(const std::array<EnumName<Enum>, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return table[0].name;
}

// The value named `name`, or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> enumFromName(const std::array<EnumName<Enum>, N>& table,
                                           std::string_view name) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace wpe
