#include "daemon/audit/sqlite_audit_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>

#include "daemon/cache/sqlite_statement.h"
#include "daemon/time/unix_millis.h"

namespace wpe {
namespace {

// 5 s, as the site cache: its longest transaction (10,000 rows) takes ~25 ms.
constexpr int kBusyTimeoutMs = 5000;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,
  count INTEGER NOT NULL, profile TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  status INTEGER NOT NULL, pid INTEGER NOT NULL, uid INTEGER NOT NULL, exe TEXT NOT NULL,
  unit TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_last ON audit (last_ms);
)sql";

bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  // READWRITE without CREATE: the site cache made the file (0600, in its 0700 directory);
  // a missing file means the cache is not there, and then neither is the audit trail.
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (exec(db, "PRAGMA journal_mode=WAL") && exec(db, kSchema)) {
      return std::unique_ptr<SqliteAuditStore>(new SqliteAuditStore(db));
    }
  }
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_close(db);
  return Error(ErrorCode::Internal, "cannot open the audit trail in " + path + ": " + message);
}

SqliteAuditStore::~SqliteAuditStore() { sqlite3_close(db_); }

Error SqliteAuditStore::sqlError(const std::string& what) const {
  return Error(ErrorCode::Internal, "audit trail: " + what + " failed: " + sqlite3_errmsg(db_));
}

Status SqliteAuditStore::append(const std::vector<AuditRecord>& records) {
  if (records.empty()) return {};
  if (!exec(db_, "BEGIN IMMEDIATE")) return sqlError("starting the transaction");
  {
    SqliteStatement ins(db_,
                        "INSERT INTO audit (time_ms, last_ms, count, profile, method, path, status,"
                        " pid, uid, exe, unit) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    bool ok = ins.ok();
    for (const auto& r : records) {
      if (!ok) break;
      ins.bind(1, toUnixMillis(r.time));
      ins.bind(2, toUnixMillis(r.lastTime));
      ins.bind(3, static_cast<long long>(r.count));
      ins.bind(4, r.profile);
      ins.bind(5, r.method);
      ins.bind(6, r.path);
      ins.bind(7, static_cast<long long>(r.status));
      ins.bind(8, static_cast<long long>(r.peer.pid));
      ins.bind(9, static_cast<long long>(r.peer.uid));
      ins.bind(10, r.peer.exe);
      ins.bind(11, r.peer.unit);
      ok = ins.step() == SQLITE_DONE;
      ins.reset();
    }
    if (!ok) {
      Error error = sqlError("inserting records");
      exec(db_, "ROLLBACK");
      return error;
    }
  }
  if (!exec(db_, "COMMIT")) {
    Error error = sqlError("committing records");
    exec(db_, "ROLLBACK");
    return error;
  }
  return {};
}

Result<std::vector<AuditRecord>> SqliteAuditStore::query(const AuditQuery& q) {
  // The newest `limit` by id (insertion order), handed back oldest first.
  SqliteStatement sel(db_,
                      "SELECT * FROM (SELECT id, time_ms, last_ms, count, profile, method, path,"
                      " status, pid, uid, exe, unit FROM audit WHERE (?1 = '' OR profile = ?1)"
                      " AND last_ms >= ?2 ORDER BY id DESC LIMIT ?3) ORDER BY id ASC");
  if (!sel.ok()) return sqlError("preparing the query");
  sel.bind(1, q.profile);
  sel.bind(2, q.since ? toUnixMillis(*q.since) : std::numeric_limits<long long>::min());
  sel.bind(3, static_cast<long long>(q.limit));
  std::vector<AuditRecord> out;
  int rc;
  while ((rc = sel.step()) == SQLITE_ROW) {
    AuditRecord r;
    r.id = sel.integer(0);
    r.time = fromUnixMillis(sel.integer(1));
    r.lastTime = fromUnixMillis(sel.integer(2));
    r.count = sel.integer(3);
    r.profile = sel.text(4);
    r.method = sel.text(5);
    r.path = sel.text(6);
    r.status = static_cast<int>(sel.integer(7));
    r.peer.pid = static_cast<int>(sel.integer(8));
    r.peer.uid = static_cast<unsigned>(sel.integer(9));
    r.peer.exe = sel.text(10);
    r.peer.unit = sel.text(11);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return sqlError("reading records");
  return out;
}

Result<std::int64_t> SqliteAuditStore::prune(WallTime olderThan, std::int64_t maxRows) {
  std::int64_t deleted = 0;
  {
    SqliteStatement byAge(db_, "DELETE FROM audit WHERE last_ms < ?");
    if (!byAge.ok()) return sqlError("preparing the pruning");
    byAge.bind(1, toUnixMillis(olderThan));
    if (byAge.step() != SQLITE_DONE) return sqlError("pruning old records");
    deleted += sqlite3_changes(db_);
  }
  {
    // Ids grow with insertion: everything at or below the (maxRows+1)-th newest goes.
    SqliteStatement bySize(db_,
                           "DELETE FROM audit WHERE id <= (SELECT id FROM audit ORDER BY id DESC"
                           " LIMIT 1 OFFSET ?)");
    if (!bySize.ok()) return sqlError("preparing the pruning");
    bySize.bind(1, static_cast<long long>(std::max<std::int64_t>(0, maxRows)));
    if (bySize.step() != SQLITE_DONE) return sqlError("pruning surplus records");
    deleted += sqlite3_changes(db_);
  }
  return deleted;
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteAuditStore::knownUses(
    std::size_t max) {
  SqliteStatement sel(db_, "SELECT DISTINCT profile, exe FROM audit LIMIT ?");
  if (!sel.ok()) return sqlError("preparing the query");
  sel.bind(1, static_cast<long long>(max));
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = sel.step()) == SQLITE_ROW) out.emplace_back(sel.text(0), sel.text(1));
  if (rc != SQLITE_DONE) return sqlError("reading known executables");
  return out;
}

}  // namespace wpe
