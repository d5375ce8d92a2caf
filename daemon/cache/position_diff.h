#pragma once
// diffPositions: which positions of a new list differ from the rows cached for
// (profile, table), so CacheStore::replaceList rewrites only those (most syncs bring a list
// back as it was; issue 10).
//  - runs: maximal [first, last) ranges of new positions whose row is missing or differs in
//    any column (an empty account_id/site_id is stored as NULL and compares equal to "");
//  - surplus: old rows at no position of the new list (past its end);
//  - ok = false when SQLite failed reading (its error is on the connection).
// Reads inside the caller's transaction; writes nothing.

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "daemon/cache/cache_store.h"

namespace wpe {

struct PositionDiff {
  bool ok = true;
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  std::size_t surplus = 0;
};

PositionDiff diffPositions(sqlite3* db, const std::string& table, const std::string& profile,
                           const std::vector<CacheItem>& items);

}  // namespace wpe
