#include "daemon/cache/cache_database.h"

#include <Poco/Logger.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "common/log_escape.h"
#include "daemon/cache/cache_files.h"
#include "daemon/cache/sqlite_error.h"
#include "daemon/cache/sqlite_statement.h"

namespace wpe {
namespace {

// Bump when the tables change: an older or newer file is rebuilt (it is only a cache).
constexpr int kSchemaVersion = 1;
// 5 s: long enough for the other writer's transaction (10,000 rows take ~25 ms), short enough
// that a wedged lock surfaces as an error instead of a hung request.
constexpr int kBusyTimeoutMs = 5000;
// 64 MiB: after a checkpoint the WAL is truncated back to this, so one big list write does
// not leave its size behind on disk (a 256 MiB list once left a 755 MB WAL).
constexpr long long kJournalSizeLimit = 64ll << 20;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sync_state (
  profile TEXT NOT NULL, kind TEXT NOT NULL, synced_at INTEGER, last_attempt_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '', PRIMARY KEY (profile, kind));
)sql";

std::string tableSchema(const char* table) {
  const std::string t = table;
  return "CREATE TABLE IF NOT EXISTS " + t +
         " (profile TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,"
         " account_id TEXT, site_id TEXT, json TEXT NOT NULL, PRIMARY KEY (profile, pos));"
         "CREATE UNIQUE INDEX IF NOT EXISTS " +
         t + "_id ON " + t +
         " (profile, id);"
         "CREATE INDEX IF NOT EXISTS " +
         t + "_name ON " + t + " (profile, name);";
}

bool isCorruption(int rc) {
  rc &= 0xff;
  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

std::string utcStamp(WallTime t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Opens and checks the file. rc and systemErrno report SQLite's codes so the caller can tell
// corruption (move aside and rebuild) from a full disk or anything else (report).
sqlite3* openChecked(const std::string& path, int& rc, int& systemErrno, std::string& message) {
  sqlite3* db = nullptr;
  const mode_t oldMask = ::umask(077);  // belt and braces: the daemon already runs with 077
  // NOFOLLOW: SQLite refuses a symlinked database itself (checkCacheFiles() looked first; this
  // closes the window between the two).
  rc = sqlite3_open_v2(path.c_str(), &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, nullptr);
  systemErrno = 0;
  auto fail = [&](int code) {
    rc = code;
    if (db) {
      systemErrno = sqlite3_system_errno(db);
      if (message.empty()) message = sqlite3_errmsg(db);
    } else if (message.empty()) {
      message = "out of memory";
    }
    sqlite3_close(db);
    ::umask(oldMask);
    return nullptr;
  };
  if (rc != SQLITE_OK) return fail(rc);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (!sqliteExec(db, "PRAGMA journal_mode=WAL")) return fail(sqlite3_extended_errcode(db));
  sqliteExec(db, "PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimit));
  // NORMAL, not FULL: in WAL mode a commit then skips the fsync of the WAL (the checkpoint
  // still syncs). A transaction stays atomic either way, and one committed before a kill -9
  // survives it (it is in the OS's cache); only a power cut may lose the last commits, which
  // leaves the previous whole list — all or nothing holds (docs/security.md rule 16), and a
  // cache can be synced again.
  sqliteExec(db, "PRAGMA synchronous=NORMAL");
  // No checkpoint at commit: it copied a big list's pages into the file right after writing
  // them to the WAL (~35 ms of 20,000 installs), at the very end of a sync. checkpoint() runs
  // at the start of the next sync instead, beside its first requests (issue 10).
  sqliteExec(db, "PRAGMA wal_autocheckpoint=0");
  {
    SqliteStatement check(db, "PRAGMA quick_check");
    if (!check.ok()) return fail(sqlite3_extended_errcode(db));
    int step = check.step();
    if (step != SQLITE_ROW) return fail(step == SQLITE_DONE ? SQLITE_CORRUPT : step);
    if (check.text(0) != "ok") {
      message = "quick_check: " + escapeForLog(check.text(0));
      return fail(SQLITE_CORRUPT);
    }
  }
  int version = 0;
  {
    SqliteStatement v(db, "PRAGMA user_version");
    if (v.ok() && v.step() == SQLITE_ROW) version = static_cast<int>(v.integer(0));
  }
  std::string schema;
  if (version != kSchemaVersion) {
    schema =
        "DROP TABLE IF EXISTS sites; DROP TABLE IF EXISTS installs;"
        "DROP TABLE IF EXISTS accounts; DROP TABLE IF EXISTS sync_state;";
  }
  schema += std::string(kSchema) + tableSchema("sites") + tableSchema("installs") +
            tableSchema("accounts") + "PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";";
  if (!sqliteExec(db, "BEGIN IMMEDIATE;" + schema + "COMMIT;")) {
    // The first error is the one to report: read it before a ROLLBACK can replace it, and
    // roll back only if SQLite has not already (after SQLITE_FULL it may have).
    const int code = sqlite3_extended_errcode(db);
    systemErrno = sqlite3_system_errno(db);
    message = sqlite3_errmsg(db);
    const int savedErrno = systemErrno;
    if (!sqlite3_get_autocommit(db)) sqliteExec(db, "ROLLBACK");
    fail(code);
    systemErrno = savedErrno;
    return nullptr;
  }
  ::umask(oldMask);
  rc = SQLITE_OK;
  return db;
}

}  // namespace

Result<sqlite3*> openCacheDatabase(const std::string& cacheDir, const Clock& clock,
                                   Poco::Logger& logger, std::int64_t maxDatabaseBytes) {
  if (auto made = makeCacheDirectory(cacheDir); !made) return made.error();
  const std::string path = cacheDir + "/cache.db";
  if (auto checked = checkCacheFiles(path); !checked) return checked.error();
  int rc = SQLITE_OK;
  int systemErrno = 0;
  std::string message;
  sqlite3* db = openChecked(path, rc, systemErrno, message);
  if (!db && isCorruption(rc)) {
    // Moved aside, not deleted: someone may want to look at it. Renamed once per open, so
    // a file that keeps coming back corrupt cannot make us loop.
    const std::string aside = path + ".corrupt-" + utcStamp(clock.now());
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string from = path + suffix;
      if (std::rename(from.c_str(), (aside + suffix).c_str()) != 0 && errno != ENOENT) {
        return Error(ErrorCode::CacheUnavailable, "the site cache " + path +
                                                      " is corrupt and could not be"
                                                      " moved aside: " +
                                                      std::strerror(errno));
      }
    }
    logger.error("the site cache " + path + " is corrupt (" + message + "); moved it to " + aside +
                 " and started a new one");
    message.clear();
    if (auto checked = checkCacheFiles(path); !checked) return checked.error();
    db = openChecked(path, rc, systemErrno, message);
  }
  if (!db) {
    const ErrorCode code = classifySqliteError(rc, systemErrno);
    return Error(code,
                 "cannot open the site cache " + path + ": " + message + cacheFullAdvice(code));
  }
  if (maxDatabaseBytes > 0) {
    SqliteStatement pageSize(db, "PRAGMA page_size");
    const long long page =
        pageSize.ok() && pageSize.step() == SQLITE_ROW ? pageSize.integer(0) : 4096;
    sqliteExec(db, "PRAGMA max_page_count=" +
                       std::to_string(std::max<long long>(1, maxDatabaseBytes / page)));
  }
  return db;
}

}  // namespace wpe
