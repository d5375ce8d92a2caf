#pragma once
// AuditStore: where audit records are kept — the interface AuditLog writes through, so its
// batching, pruning and first-use logic are tested with a fake. SqliteAuditStore is the real
// one (a table in cache.db). Calls come from one thread at a time (AuditLog serialises
// them); implementations need not lock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "daemon/audit/audit_record.h"

namespace wpe {

struct AuditQuery {
  std::string profile;            // "" → every profile
  std::optional<WallTime> since;  // records whose last call is at or after this
  std::size_t limit = 1000;       // the newest `limit` matching records
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // All of `records` in one transaction, or none of them.
  virtual Status append(const std::vector<AuditRecord>& records) = 0;
  // Matching records, oldest first (the newest `limit` of them).
  virtual Result<std::vector<AuditRecord>> query(const AuditQuery& query) = 0;
  // Deletes records whose last call is before `olderThan`, then the oldest beyond `maxRows`.
  // Returns how many were deleted.
  virtual Result<std::int64_t> prune(WallTime olderThan, std::int64_t maxRows) = 0;
  // Distinct (profile, exe) pairs on record, at most `max` of them.
  virtual Result<std::vector<std::pair<std::string, std::string>>> knownUses(std::size_t max) = 0;
};

}  // namespace wpe
