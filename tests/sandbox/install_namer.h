#pragma once
// InstallNamer: unique install names matching ^[a-z][a-z0-9]{2,13}$ for generated sites —
// the site's letters cut to fit the environment suffix ("", "stg", "dev"); on a collision a
// number from one shared sequence goes before the suffix. Site letters hold no digits, so
// numbered names cannot collide with plain ones or with each other. Not thread-safe; one per
// generation run.

#include <cstdint>
#include <string>
#include <unordered_set>

namespace wpe {

class InstallNamer {
 public:
  static constexpr std::size_t kMaxLength = 14;

  explicit InstallNamer(std::size_t expected) { taken_.reserve(expected); }

  // letters: lowercase a-z only, at least 3 of them; suffix: at most 3 characters.
  std::string make(const std::string& letters, const std::string& suffix);

 private:
  std::unordered_set<std::string> taken_;
  std::uint64_t sequence_ = 2;
};

}  // namespace wpe
