#include "daemon/cache/cache_store.h"

#include <Poco/Logger.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "common/log_escape.h"

namespace wpe {
namespace {

// Bump when the tables change: an older or newer file is rebuilt (it is only a cache).
constexpr int kSchemaVersion = 1;
// 5 s: long enough for the other writer's transaction (10,000 rows take ~25 ms), short enough
// that a wedged lock surfaces as an error instead of a hung request.
constexpr int kBusyTimeoutMs = 5000;

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

const char* singular(ListKind kind) {
  switch (kind) {
    case ListKind::Sites:
      return "site";
    case ListKind::Installs:
      return "install";
    case ListKind::Accounts:
      return "account";
  }
  return "item";
}

long long toMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
WallTime fromMillis(long long ms) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

Error sqlError(sqlite3* db, const std::string& what) {
  return Error(ErrorCode::Internal,
               "site cache: " + what + " failed: " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void bindOrNull(int i, const std::string& s) {
    if (s.empty())
      sqlite3_bind_null(stmt_, i);
    else
      bind(i, s);
  }
  void bind(int i, long long v) { sqlite3_bind_int64(stmt_, i, v); }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  void appendText(int col, std::string& out) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (p) out.append(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

bool exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
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

Status makeDirectory(const std::string& dir) {
  // mkdir -p: missing parents are created 0700 too (they hold nothing but our cache).
  for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorCode::Internal,
                   "cannot create the cache directory " + part + ": " + std::strerror(errno));
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::Internal, "the cache directory " + dir + " is not a directory");
  }
  if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
    return Error(ErrorCode::Internal,
                 "cannot make the cache directory " + dir + " private: " + std::strerror(errno));
  }
  return {};
}

// Opens and checks the file. rc reports SQLite's code so the caller can tell corruption
// (move aside and rebuild) from anything else (report).
sqlite3* openChecked(const std::string& path, int& rc, std::string& message) {
  sqlite3* db = nullptr;
  const mode_t oldMask = ::umask(077);  // the db, -wal and -shm are born 0600
  rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  auto fail = [&](int code) {
    rc = code;
    message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    ::umask(oldMask);
    return nullptr;
  };
  if (rc != SQLITE_OK) return fail(rc);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (!exec(db, "PRAGMA journal_mode=WAL")) return fail(sqlite3_errcode(db));
  {
    Statement check(db, "PRAGMA quick_check");
    if (!check.ok()) return fail(sqlite3_errcode(db));
    int step = check.step();
    if (step != SQLITE_ROW) return fail(step == SQLITE_DONE ? SQLITE_CORRUPT : step);
    if (check.text(0) != "ok") {
      message = "quick_check: " + escapeForLog(check.text(0));
      sqlite3_close(db);
      ::umask(oldMask);
      rc = SQLITE_CORRUPT;
      return nullptr;
    }
  }
  int version = 0;
  {
    Statement v(db, "PRAGMA user_version");
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
  if (!exec(db, "BEGIN IMMEDIATE;" + schema + "COMMIT;")) {
    int code = sqlite3_extended_errcode(db);
    exec(db, "ROLLBACK");
    return fail(code);
  }
  ::umask(oldMask);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    ::chmod((path + suffix).c_str(), 0600);  // belt and braces: a file from an older umask
  }
  rc = SQLITE_OK;
  return db;
}

}  // namespace

Result<std::unique_ptr<CacheStore>> CacheStore::open(const std::string& cacheDir,
                                                     const Clock& clock, Poco::Logger& logger,
                                                     std::int64_t maxDatabaseBytes) {
  if (auto made = makeDirectory(cacheDir); !made) return made.error();
  const std::string path = cacheDir + "/cache.db";
  int rc = SQLITE_OK;
  std::string message;
  sqlite3* db = openChecked(path, rc, message);
  if (!db && isCorruption(rc)) {
    // Moved aside, not deleted: someone may want to look at it. Renamed once per start, so
    // a file that keeps coming back corrupt cannot make us loop.
    const std::string aside = path + ".corrupt-" + utcStamp(clock.now());
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string from = path + suffix;
      if (std::rename(from.c_str(), (aside + suffix).c_str()) != 0 && errno != ENOENT) {
        return Error(ErrorCode::Internal, "the site cache " + path +
                                              " is corrupt and could not be"
                                              " moved aside: " +
                                              std::strerror(errno));
      }
    }
    logger.error("the site cache " + path + " is corrupt (" + message + "); moved it to " + aside +
                 " and started a new one");
    db = openChecked(path, rc, message);
  }
  if (!db) {
    return Error(ErrorCode::Internal, "cannot open the site cache " + path + ": " + message);
  }
  if (maxDatabaseBytes > 0) {
    Statement pageSize(db, "PRAGMA page_size");
    const long long page =
        pageSize.ok() && pageSize.step() == SQLITE_ROW ? pageSize.integer(0) : 4096;
    exec(db, "PRAGMA max_page_count=" +
                 std::to_string(std::max<long long>(1, maxDatabaseBytes / page)));
  }
  return std::unique_ptr<CacheStore>(new CacheStore(path, db, clock, logger));
}

CacheStore::CacheStore(std::string path, sqlite3* db, const Clock& clock, Poco::Logger& logger)
    : path_(std::move(path)), db_(db), clock_(clock), logger_(logger) {}

CacheStore::~CacheStore() { sqlite3_close(db_); }

Status CacheStore::replaceList(const std::string& profile, ListKind kind,
                               const std::vector<CacheItem>& items) {
  std::lock_guard lock(mutex_);
  const std::string table = listKindName(kind);
  std::optional<Error> firstError;
  auto failed = [&](const std::string& what) {
    if (!firstError) firstError = sqlError(db_, what);
  };
  if (!exec(db_, "BEGIN IMMEDIATE")) {
    failed("starting the transaction");
  } else {
    Statement del(db_, "DELETE FROM " + table + " WHERE profile = ?");
    del.bind(1, profile);
    if (!del.ok() || del.step() != SQLITE_DONE) failed("deleting the old " + table);
    Statement ins(db_, "INSERT INTO " + table +
                           " (profile, pos, id, name, account_id, site_id, json)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!ins.ok()) failed("preparing the insert");
    for (std::size_t i = 0; !firstError && i < items.size(); ++i) {
      const CacheItem& item = items[i];
      ins.bind(1, profile);
      ins.bind(2, static_cast<long long>(i));
      ins.bind(3, item.id);
      ins.bind(4, item.name);
      ins.bindOrNull(5, item.accountId);
      ins.bindOrNull(6, item.siteId);
      ins.bind(7, item.json);
      if (ins.step() != SQLITE_DONE) failed("inserting " + table);
      ins.reset();
    }
    if (!firstError) {
      Statement st(db_,
                   "INSERT INTO sync_state (profile, kind, synced_at, last_attempt_at, last_error)"
                   " VALUES (?, ?, ?, ?, '') ON CONFLICT (profile, kind) DO UPDATE SET"
                   " synced_at = excluded.synced_at, last_attempt_at = excluded.last_attempt_at,"
                   " last_error = ''");
      const long long now = toMillis(clock_.now());
      st.bind(1, profile);
      st.bind(2, table);
      st.bind(3, now);
      st.bind(4, now);
      if (!st.ok() || st.step() != SQLITE_DONE) failed("recording the sync");
    }
    if (!firstError && !exec(db_, "COMMIT")) failed("committing the new " + table);
  }
  if (firstError) {
    // After SQLITE_FULL/IOERR SQLite may already have rolled back on its own; a second
    // ROLLBACK would only add a confusing error, so ask first (security.md rule 10).
    if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    logger_.error(firstError->message);
    return *firstError;
  }
  listCache_.erase({profile, kind});
  return {};
}

Result<CachedList> CacheStore::list(const std::string& profile, ListKind kind, bool withJson) {
  std::lock_guard lock(mutex_);
  CachedList out;
  // One read transaction: the rows and the sync state come from the same snapshot.
  if (!exec(db_, "BEGIN")) return sqlError(db_, "reading the cache");
  int rc;
  auto cached = withJson ? listCache_.find({profile, kind}) : listCache_.end();
  if (cached != listCache_.end()) {
    out.json = cached->second.json;
    out.count = cached->second.count;
    rc = SQLITE_DONE;
  } else if (withJson) {
    Statement q(db_, std::string("SELECT json FROM ") + listKindName(kind) +
                         " WHERE profile = ? ORDER BY pos");
    q.bind(1, profile);
    out.json.reserve(4096);
    out.json += '[';
    while ((rc = q.step()) == SQLITE_ROW) {
      if (out.count++ > 0) out.json += ',';
      q.appendText(0, out.json);
    }
    out.json += ']';
  } else {
    Statement q(db_,
                std::string("SELECT COUNT(*) FROM ") + listKindName(kind) + " WHERE profile = ?");
    q.bind(1, profile);
    rc = q.step();
    if (rc == SQLITE_ROW) {
      out.count = static_cast<std::size_t>(std::stoull(q.text(0)));
      rc = SQLITE_DONE;
    }
  }
  auto state = syncStateLocked(profile, kind);
  exec(db_, "COMMIT");
  if (rc != SQLITE_DONE) return sqlError(db_, std::string("reading ") + listKindName(kind));
  if (!state) return state.error();
  out.state = std::move(*state);
  if (withJson && cached == listCache_.end() && out.state.syncedAt) {
    listCache_[{profile, kind}] = CachedText{out.json, out.count};
  }
  return out;
}

Result<std::string> CacheStore::get(const std::string& profile, ListKind kind,
                                    const std::string& idOrName) {
  std::lock_guard lock(mutex_);
  const std::string table = listKindName(kind);
  Statement byId(db_, "SELECT json FROM " + table + " WHERE profile = ? AND id = ?");
  byId.bind(1, profile);
  byId.bind(2, idOrName);
  int rc = byId.step();
  if (rc == SQLITE_ROW) return byId.text(0);
  if (rc != SQLITE_DONE) return sqlError(db_, "looking up a " + std::string(singular(kind)));
  Statement byName(db_, "SELECT json FROM " + table + " WHERE profile = ? AND name = ? LIMIT 2");
  byName.bind(1, profile);
  byName.bind(2, idOrName);
  std::vector<std::string> found;
  while ((rc = byName.step()) == SQLITE_ROW) found.push_back(byName.text(0));
  if (rc != SQLITE_DONE) return sqlError(db_, "looking up a " + std::string(singular(kind)));
  if (found.size() == 1) return found.front();
  if (found.size() > 1) {
    return Error(ErrorCode::Conflict, std::string("several ") + table + " are named '" +
                                          escapeForLog(idOrName) + "'; use the id");
  }
  return Error(ErrorCode::NotFound, std::string("no ") + singular(kind) + " with id or name '" +
                                        escapeForLog(idOrName) + "' in profile " + profile +
                                        " (run `wpectl " + table + " --refresh` if it is new)");
}

Status CacheStore::recordSyncError(const std::string& profile, ListKind kind,
                                   const std::string& message) {
  std::lock_guard lock(mutex_);
  Statement st(db_,
               "INSERT INTO sync_state (profile, kind, last_attempt_at, last_error)"
               " VALUES (?, ?, ?, ?) ON CONFLICT (profile, kind) DO UPDATE SET"
               " last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error");
  st.bind(1, profile);
  st.bind(2, std::string(listKindName(kind)));
  st.bind(3, toMillis(clock_.now()));
  st.bind(4, message);
  if (!st.ok() || st.step() != SQLITE_DONE) return sqlError(db_, "recording a sync error");
  return {};
}

Result<SyncState> CacheStore::syncState(const std::string& profile, ListKind kind) {
  std::lock_guard lock(mutex_);
  return syncStateLocked(profile, kind);
}

Result<SyncState> CacheStore::syncStateLocked(const std::string& profile, ListKind kind) {
  Statement st(db_,
               "SELECT synced_at, last_attempt_at, last_error FROM sync_state"
               " WHERE profile = ? AND kind = ?");
  st.bind(1, profile);
  st.bind(2, std::string(listKindName(kind)));
  SyncState state;
  const int rc = st.step();
  if (rc == SQLITE_ROW) {
    if (!st.isNull(0)) state.syncedAt = fromMillis(st.integer(0));
    if (!st.isNull(1)) state.lastAttemptAt = fromMillis(st.integer(1));
    state.lastError = st.text(2);
  } else if (rc != SQLITE_DONE) {
    return sqlError(db_, "reading the sync state");
  }
  return state;
}

Status CacheStore::dropProfile(const std::string& profile) {
  std::lock_guard lock(mutex_);
  bool ok = exec(db_, "BEGIN IMMEDIATE");
  for (const char* table : {"sites", "installs", "accounts", "sync_state"}) {
    if (!ok) break;
    Statement del(db_, std::string("DELETE FROM ") + table + " WHERE profile = ?");
    del.bind(1, profile);
    ok = del.ok() && del.step() == SQLITE_DONE;
  }
  if (ok) ok = exec(db_, "COMMIT");
  for (ListKind kind : kAllListKinds) listCache_.erase({profile, kind});
  if (!ok) {
    Error error = sqlError(db_, "dropping profile " + profile);
    if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    return error;
  }
  return {};
}

}  // namespace wpe
