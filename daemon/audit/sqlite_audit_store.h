#pragma once
// SqliteAuditStore: the audit trail as the table `audit` in the cache file (cache.db), on a
// connection of its own (WAL, so it neither blocks nor is blocked by the site cache's reads;
// a 5 s busy timeout covers the other writer's transactions). The table is created when
// missing and left alone by the site cache's schema upgrades. Holds no secret: the columns
// are the AuditRecord's.
// Not thread-safe: AuditLog calls it from one thread at a time.

#include <memory>
#include <string>

#include "daemon/audit/audit_store.h"

struct sqlite3;

namespace wpe {

class SqliteAuditStore final : public AuditStore {
 public:
  // Opens (never creates the directory) `path`, creating the table if needed. Error
  // (Internal) names the file and SQLite's message.
  static Result<std::unique_ptr<SqliteAuditStore>> open(const std::string& path);
  ~SqliteAuditStore() override;
  SqliteAuditStore(const SqliteAuditStore&) = delete;
  SqliteAuditStore& operator=(const SqliteAuditStore&) = delete;

  Status append(const std::vector<AuditRecord>& records) override;
  Result<std::vector<AuditRecord>> query(const AuditQuery& query) override;
  Result<std::int64_t> prune(WallTime olderThan, std::int64_t maxRows) override;
  Result<std::vector<std::pair<std::string, std::string>>> knownUses(std::size_t max) override;

 private:
  explicit SqliteAuditStore(sqlite3* db) : db_(db) {}
  Error sqlError(const std::string& what) const;

  sqlite3* db_;
};

}  // namespace wpe
