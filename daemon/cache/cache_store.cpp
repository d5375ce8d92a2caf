#include "daemon/cache/cache_store.h"

#include <Poco/Logger.h>
#include <sqlite3.h>

#include "common/log_escape.h"
#include "daemon/cache/cache_database.h"
#include "daemon/cache/position_diff.h"
#include "daemon/cache/sqlite_error.h"
#include "daemon/cache/sqlite_statement.h"
#include "daemon/time/unix_millis.h"

namespace wpe {
namespace {

// 64 MiB of page cache during a list's write transaction, SQLite's default (2 MiB) otherwise:
// replacing 10,000 sites touches ~15 MB of pages (old rows deleted, new ones and three indexes
// written); with 2 MiB they were spilled and read back over and over (pread and pwrite were
// most of a sync's CPU, issue 10). The pages are handed back right after the transaction.
constexpr int kWriteCacheKiB = 64 << 10;
constexpr int kDefaultCacheKiB = 2000;

const char* singular(ListKind kind) { return enumName(kListKindSingulars, kind); }

}  // namespace

Result<std::unique_ptr<CacheStore>> CacheStore::open(const std::string& cacheDir,
                                                     const Clock& clock, Poco::Logger& logger,
                                                     std::int64_t maxDatabaseBytes) {
  auto db = openCacheDatabase(cacheDir, clock, logger, maxDatabaseBytes);
  if (!db) return db.error();
  return std::unique_ptr<CacheStore>(
      new CacheStore(cacheDir, *db, clock, logger, maxDatabaseBytes));
}

std::unique_ptr<CacheStore> CacheStore::openOrUnavailable(const std::string& cacheDir,
                                                          const Clock& clock, Poco::Logger& logger,
                                                          std::int64_t maxDatabaseBytes) {
  auto db = openCacheDatabase(cacheDir, clock, logger, maxDatabaseBytes);
  std::unique_ptr<CacheStore> store(
      new CacheStore(cacheDir, db ? *db : nullptr, clock, logger, maxDatabaseBytes));
  if (!db) {
    logger.error("the site cache is unavailable: " + db.error().message +
                 "; serving without it (lists fail, tokens and the passthrough work), trying "
                 "again at the next sync");
    store->setUnavailable(db.error());
  }
  return store;
}

CacheStore::CacheStore(std::string dir, sqlite3* db, const Clock& clock, Poco::Logger& logger,
                       std::int64_t maxDatabaseBytes)
    : dir_(std::move(dir)),
      path_(dir_ + "/cache.db"),
      maxDatabaseBytes_(maxDatabaseBytes),
      db_(db),
      clock_(clock),
      logger_(logger) {}

void CacheStore::setUnavailable(std::optional<Error> reason) {
  LockGuard lock(stateMutex_);
  unavailable_ = std::move(reason);
}

CacheAvailability CacheStore::availability() const {
  LockGuard lock(stateMutex_);
  if (!unavailable_) return {};
  return {false, *unavailable_};
}

Error CacheStore::unavailableError() const {
  LockGuard lock(stateMutex_);
  if (unavailable_) return *unavailable_;
  return Error(ErrorCode::CacheUnavailable, "the site cache " + path_ + " is not open");
}

Status CacheStore::checkpoint() {
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  // PASSIVE: copies what it can without waiting for readers; the rest goes at the next one.
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) !=
      SQLITE_OK) {
    return sqliteError(db_, "checkpointing the write-ahead log");
  }
  return {};
}

Status CacheStore::reopen() {
  LockGuard lock(mutex_);
  if (db_) return {};
  auto db = openCacheDatabase(dir_, clock_, logger_, maxDatabaseBytes_);
  if (!db) {
    setUnavailable(db.error());
    return db.error();
  }
  db_ = *db;
  bodies_.clear();
  for (const auto& profile : pendingDrops_) {
    if (auto dropped = dropProfileLocked(profile); !dropped) {
      // Not open after all: the lists of a logged-out profile must not be served.
      sqlite3_close(db_);
      db_ = nullptr;
      setUnavailable(dropped.error());
      return dropped.error();
    }
  }
  pendingDrops_.clear();
  setUnavailable(std::nullopt);
  logger_.notice("the site cache " + path_ + " is open again");
  return {};
}

CacheStore::~CacheStore() { sqlite3_close(db_); }

Result<std::size_t> CacheStore::replaceList(const std::string& profile, ListKind kind,
                                            const std::vector<CacheItem>& items) {
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  const std::string table = listKindName(kind);
  std::optional<Error> firstError;
  auto failed = [&](const std::string& what) REQUIRES(mutex_) {
    if (!firstError) firstError = sqliteError(db_, what);
  };
  std::size_t changed = 0;
  sqliteExec(db_, "PRAGMA cache_size=-" + std::to_string(kWriteCacheKiB));
  if (!sqliteExec(db_, "BEGIN IMMEDIATE")) {
    failed("starting the transaction");
  } else {
    // Only the rows that differ are rewritten: most syncs bring a list back as it was, and
    // rewriting all of it (20,000 installs: ~140 ms of deletes, inserts and commit, the last
    // step of a sync; issue 10) then changes nothing. Inside the transaction, so readers still
    // see exactly the old or exactly the new list.
    const PositionDiff diff = diffPositions(db_, table, profile, items);
    if (!diff.ok) failed("reading the cached " + table);
    if (!firstError && diff.surplus > 0) {
      SqliteStatement cut(db_,
                          "DELETE FROM " + table + " WHERE profile = ? AND (pos >= ? OR pos < 0)");
      cut.bind(1, profile);
      cut.bind(2, static_cast<long long>(items.size()));
      if (!cut.ok() || cut.step() != SQLITE_DONE) failed("deleting the old " + table);
    }
    // Every changed run's old rows go before any new row comes in: an item that moved to
    // another position keeps its id, which is unique in the profile.
    SqliteStatement del(db_,
                        "DELETE FROM " + table + " WHERE profile = ? AND pos >= ? AND pos < ?");
    if (!del.ok()) failed("preparing the delete");
    for (std::size_t r = 0; !firstError && r < diff.runs.size(); ++r) {
      const auto [first, last] = diff.runs[r];
      del.bind(1, profile);
      del.bind(2, static_cast<long long>(first));
      del.bind(3, static_cast<long long>(last));
      if (del.step() != SQLITE_DONE) failed("deleting the old " + table);
      del.reset();
    }
    SqliteStatement ins(db_, "INSERT INTO " + table +
                                 " (profile, pos, id, name, account_id, site_id, json)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!ins.ok()) failed("preparing the insert");
    for (std::size_t r = 0; !firstError && r < diff.runs.size(); ++r) {
      for (std::size_t i = diff.runs[r].first; !firstError && i < diff.runs[r].second; ++i) {
        const CacheItem& item = items[i];
        // The items outlive each step: bound without SQLite's copy of every string (the JSON
        // of 10,000 sites is ~6 MB).
        ins.bindStatic(1, profile);
        ins.bind(2, static_cast<long long>(i));
        ins.bindStatic(3, item.id);
        ins.bindStatic(4, item.name);
        ins.bindStaticOrNull(5, item.accountId);
        ins.bindStaticOrNull(6, item.siteId);
        ins.bindStatic(7, item.json);
        if (ins.step() != SQLITE_DONE) failed("inserting " + table);
        ins.reset();
        ++changed;
      }
    }
    changed += diff.surplus;
    if (!firstError) {
      SqliteStatement st(
          db_,
          "INSERT INTO sync_state (profile, kind, synced_at, last_attempt_at, last_error)"
          " VALUES (?, ?, ?, ?, '') ON CONFLICT (profile, kind) DO UPDATE SET"
          " synced_at = excluded.synced_at, last_attempt_at = excluded.last_attempt_at,"
          " last_error = ''");
      const long long now = toUnixMillis(clock_.now());
      st.bind(1, profile);
      st.bind(2, table);
      st.bind(3, now);
      st.bind(4, now);
      if (!st.ok() || st.step() != SQLITE_DONE) failed("recording the sync");
    }
    if (!firstError && !sqliteExec(db_, "COMMIT")) failed("committing the new " + table);
  }
  if (firstError) {
    // After SQLITE_FULL/IOERR SQLite may already have rolled back on its own; a second
    // ROLLBACK would only add a confusing error, so ask first (docs/security.md rule 16).
    if (!sqlite3_get_autocommit(db_)) sqliteExec(db_, "ROLLBACK");
  }
  sqliteExec(db_, "PRAGMA cache_size=-" + std::to_string(kDefaultCacheKiB));
  sqlite3_db_release_memory(db_);
  if (firstError) {
    logger_.error(firstError->message);
    return *firstError;
  }
  // The reply text of the list just committed, before mutex_ is released. Without one (no
  // file could be written and no memory either) list() builds it from the rows. An unchanged
  // list keeps the text it has.
  if (changed == 0 && bodies_.count({profile, kind}) > 0) return changed;
  auto body = ListBody::build(dir_, [&](const ListBody::Sink& sink) {
    if (!sink("[")) return false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if ((i > 0 && !sink(",")) || !sink(items[i].json)) return false;
    }
    return sink("]");
  });
  if (body) {
    bodies_[{profile, kind}] = Body{std::move(body), items.size()};
  } else {
    bodies_.erase({profile, kind});
  }
  return changed;
}

Result<CachedList> CacheStore::list(const std::string& profile, ListKind kind, bool withJson) {
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  CachedList out;
  // One read transaction: the rows and the sync state come from the same snapshot.
  if (!sqliteExec(db_, "BEGIN")) return sqliteError(db_, "reading the cache");
  int rc = SQLITE_DONE;
  auto cached = withJson ? bodies_.find({profile, kind}) : bodies_.end();
  if (cached != bodies_.end()) {
    out.body = cached->second.body;
    out.count = cached->second.count;
  } else if (withJson) {
    const std::string sql =
        std::string("SELECT json FROM ") + listKindName(kind) + " WHERE profile = ? ORDER BY pos";
    // build() runs the writer at once, under this lock; the analysis cannot see into the
    // lambda, so it takes the handle read here.
    sqlite3* const db = db_;
    out.body = ListBody::build(dir_, [&](const ListBody::Sink& sink) {
      // From the start each time: build() may ask twice (file, then memory).
      out.count = 0;
      SqliteStatement q(db, sql);
      q.bind(1, profile);
      if (!sink("[")) return false;
      while ((rc = q.step()) == SQLITE_ROW) {
        if ((out.count++ > 0 && !sink(",")) || !sink(q.view(0))) return false;
      }
      return rc == SQLITE_DONE && sink("]");
    });
    if (!out.body && rc == SQLITE_DONE) rc = SQLITE_NOMEM;
  } else {
    SqliteStatement q(
        db_, std::string("SELECT COUNT(*) FROM ") + listKindName(kind) + " WHERE profile = ?");
    q.bind(1, profile);
    rc = q.step();
    if (rc == SQLITE_ROW) {
      out.count = static_cast<std::size_t>(std::stoull(q.text(0)));
      rc = SQLITE_DONE;
    }
  }
  auto state = syncStateLocked(profile, kind);
  sqliteExec(db_, "COMMIT");
  if (rc != SQLITE_DONE) return sqliteError(db_, std::string("reading ") + listKindName(kind));
  if (!state) return state.error();
  out.state = std::move(*state);
  if (withJson && cached == bodies_.end() && out.state.syncedAt) {
    bodies_[{profile, kind}] = Body{out.body, out.count};
  }
  return out;
}

Result<std::string> CacheStore::get(const std::string& profile, ListKind kind,
                                    const std::string& idOrName) {
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  const std::string table = listKindName(kind);
  SqliteStatement byId(db_, "SELECT json FROM " + table + " WHERE profile = ? AND id = ?");
  byId.bind(1, profile);
  byId.bind(2, idOrName);
  int rc = byId.step();
  if (rc == SQLITE_ROW) return byId.text(0);
  if (rc != SQLITE_DONE) return sqliteError(db_, "looking up a " + std::string(singular(kind)));
  SqliteStatement byName(db_,
                         "SELECT json FROM " + table + " WHERE profile = ? AND name = ? LIMIT 2");
  byName.bind(1, profile);
  byName.bind(2, idOrName);
  std::vector<std::string> found;
  while ((rc = byName.step()) == SQLITE_ROW) found.push_back(byName.text(0));
  if (rc != SQLITE_DONE) return sqliteError(db_, "looking up a " + std::string(singular(kind)));
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
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  SqliteStatement st(
      db_,
      "INSERT INTO sync_state (profile, kind, last_attempt_at, last_error)"
      " VALUES (?, ?, ?, ?) ON CONFLICT (profile, kind) DO UPDATE SET"
      " last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error");
  st.bind(1, profile);
  st.bind(2, std::string(listKindName(kind)));
  st.bind(3, toUnixMillis(clock_.now()));
  st.bind(4, message);
  if (!st.ok() || st.step() != SQLITE_DONE) return sqliteError(db_, "recording a sync error");
  return {};
}

Result<SyncState> CacheStore::syncState(const std::string& profile, ListKind kind) {
  LockGuard lock(mutex_);
  if (!db_) return unavailableError();
  return syncStateLocked(profile, kind);
}

Result<SyncState> CacheStore::syncStateLocked(const std::string& profile, ListKind kind) {
  SqliteStatement st(db_,
                     "SELECT synced_at, last_attempt_at, last_error FROM sync_state"
                     " WHERE profile = ? AND kind = ?");
  st.bind(1, profile);
  st.bind(2, std::string(listKindName(kind)));
  SyncState state;
  const int rc = st.step();
  if (rc == SQLITE_ROW) {
    if (!st.isNull(0)) state.syncedAt = fromUnixMillis(st.integer(0));
    if (!st.isNull(1)) state.lastAttemptAt = fromUnixMillis(st.integer(1));
    state.lastError = st.text(2);
  } else if (rc != SQLITE_DONE) {
    return sqliteError(db_, "reading the sync state");
  }
  return state;
}

Status CacheStore::dropProfile(const std::string& profile) {
  LockGuard lock(mutex_);
  if (!db_) {
    // A logout must not fail for want of a cache, nor its lists come back when the cache
    // does: the drop waits for reopen().
    pendingDrops_.insert(profile);
    return {};
  }
  return dropProfileLocked(profile);
}

Status CacheStore::dropProfileLocked(const std::string& profile) {
  bool ok = sqliteExec(db_, "BEGIN IMMEDIATE");
  for (const char* table : {"sites", "installs", "accounts", "sync_state"}) {
    if (!ok) break;
    SqliteStatement del(db_, std::string("DELETE FROM ") + table + " WHERE profile = ?");
    del.bind(1, profile);
    ok = del.ok() && del.step() == SQLITE_DONE;
  }
  if (ok) ok = sqliteExec(db_, "COMMIT");
  for (ListKind kind : kAllListKinds) bodies_.erase({profile, kind});
  if (!ok) {
    Error error = sqliteError(db_, "dropping profile " + profile);
    if (!sqlite3_get_autocommit(db_)) sqliteExec(db_, "ROLLBACK");
    return error;
  }
  return {};
}

}  // namespace wpe
