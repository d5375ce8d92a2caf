#pragma once
// DataGenerator: the sandbox's deterministic data — the same seed and site count give the
// same accounts, sites and installs (ids, names, dates) on every run. About one account per
// 40 sites (at least 3); each site has a production install, then maybe staging and
// development; install names are unique and match ^[a-z][a-z0-9]{2,13}$. 50,000 sites take
// well under a second. Stateless; callable from any thread.

#include <cstdint>

#include "tests/sandbox/records.h"

namespace wpe {

class DataGenerator {
 public:
  static constexpr std::uint64_t kDefaultSeed = 0x5eed0f3a9e1d2c4bULL;

  DataContents generate(int siteCount, std::uint64_t seed = kDefaultSeed) const;
};

}  // namespace wpe
