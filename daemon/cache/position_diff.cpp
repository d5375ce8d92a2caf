#include "daemon/cache/position_diff.h"

#include "daemon/cache/sqlite_statement.h"

namespace wpe {

PositionDiff diffPositions(sqlite3* db, const std::string& table, const std::string& profile,
                           const std::vector<CacheItem>& items) {
  PositionDiff diff;
  std::vector<bool> same(items.size(), false);
  SqliteStatement q(
      db, "SELECT pos, id, name, account_id, site_id, json FROM " + table + " WHERE profile = ?");
  q.bind(1, profile);
  int rc = q.ok() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = q.step()) == SQLITE_ROW) {
    const long long pos = q.integer(0);
    if (pos < 0 || static_cast<unsigned long long>(pos) >= items.size()) {
      ++diff.surplus;
      continue;
    }
    const CacheItem& item = items[static_cast<std::size_t>(pos)];
    same[static_cast<std::size_t>(pos)] = q.view(1) == item.id && q.view(2) == item.name &&
                                          q.view(3) == item.accountId && q.view(4) == item.siteId &&
                                          q.view(5) == item.json;
  }
  diff.ok = rc == SQLITE_DONE;
  for (std::size_t i = 0; i < items.size();) {
    if (same[i]) {
      ++i;
      continue;
    }
    std::size_t last = i;
    while (last < items.size() && !same[last]) ++last;
    diff.runs.emplace_back(i, last);
    i = last;
  }
  return diff;
}

}  // namespace wpe
