#pragma once
// CacheStore: the SQLite cache of each profile's sites, installs and accounts
// ($cacheDir/cache.db) and of when each list was last synced. Holds no secret. Its SQLite
// helpers: SqliteStatement (shared with the audit trail's store), diffPositions.
//
//  - Files (docs/security.md rules 17, 18): the directory is created 0700; a cache directory,
//  cache.db,
//    -wal, -shm or -journal that is a symlink, not a directory / regular file, or owned by
//    another uid is refused (nothing is written through it, nothing is chmod'ed), with a
//    message saying what to remove. cache.db is created by us (O_NOFOLLOW, 0600) and opened
//    with SQLITE_OPEN_NOFOLLOW; SQLite gives -wal/-shm the database file's mode, so they are
//    0600 too.
//  - WAL journal, a busy timeout, the WAL truncated back to 64 MiB after a checkpoint;
//    checkpoints run when asked (checkpoint()), not at each commit.
//    replaceList() swaps a whole list inside one BEGIN IMMEDIATE transaction: readers see
//    exactly the old or exactly the new list, and a failure (disk full, I/O error) leaves the
//    old one and reports the first error (never a ROLLBACK's complaint about it).
//  - A corrupt or foreign file is moved aside to cache.db.corrupt-<UTC timestamp> (with its
//    -wal/-shm) and a fresh database is built; a schema version (PRAGMA user_version) from
//    another release makes the tables be rebuilt — it is only a cache.
//  - Item JSON is stored exactly as the API sent it (compact); list() serves the JSON array
//    as a ListBody (an unnamed file in the cache directory, sent with sendfile(2)), built by
//    concatenation without re-parsing: by replaceList() right after its COMMIT, with mutex_
//    still held, so a reader never sees the new rows with the old text; and, when there is
//    none (at the first read after a start, after a failed build), by list() from the rows
//    in its read transaction. A body never outlives the process (see list_body.h).
//  - Optional: openOrUnavailable() never fails. A cache that cannot be opened (full disk,
//    refused file, I/O error) is "unavailable": every call answers its first error
//    (CacheFull or CacheUnavailable) until reopen() — called at each sync — succeeds.
//    availability() tells status (and any other module) which state it is in and why.
//
// Thread-safe: one connection behind a mutex; availability() never waits for it. Other
// modules may open cache.db with their own connection (WAL, busy timeout). Failures are
// values: CacheFull when the disk or the size cap is full, CacheUnavailable for I/O errors
// and refused files, Internal for anything else SQLite says; NotFound from get().

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "common/list_kind.h"
#include "daemon/cache/list_body.h"
#include "daemon/time/clock.h"

struct sqlite3;

namespace Poco {
class Logger;
}

namespace wpe {

struct CacheItem {
  std::string id;
  std::string name;
  std::string accountId;  // sites, installs; "" otherwise
  std::string siteId;     // installs; "" otherwise
  std::string json;       // the API object, compact
};

struct SyncState {
  std::optional<WallTime> syncedAt;       // last successful replaceList()
  std::optional<WallTime> lastAttemptAt;  // last sync attempt, successful or not
  std::string lastError;                  // "" after a success
};

struct CachedList {
  // "[{…},{…}]", in the API's order; shared, never copied. Null when withJson = false.
  std::shared_ptr<const ListBody> body;
  std::size_t count = 0;
  SyncState state;
};

struct CacheAvailability {
  bool available = true;
  Error reason;  // when unavailable: the first error (CacheFull or CacheUnavailable)
};

class CacheStore {
 public:
  // Opens (creating or rebuilding as needed) cacheDir/cache.db. The error (CacheFull,
  // CacheUnavailable or Internal) if the directory or files are refused or cannot be made, or
  // a fresh database cannot be opened. maxDatabaseBytes > 0 caps the file's size
  // (PRAGMA max_page_count): growing past it fails like a full disk (SQLITE_FULL).
  static Result<std::unique_ptr<CacheStore>> open(const std::string& cacheDir, const Clock& clock,
                                                  Poco::Logger& logger,
                                                  std::int64_t maxDatabaseBytes = 0);
  // The same, but a cache that cannot be opened is returned unavailable (logged once).
  static std::unique_ptr<CacheStore> openOrUnavailable(const std::string& cacheDir,
                                                       const Clock& clock, Poco::Logger& logger,
                                                       std::int64_t maxDatabaseBytes = 0);
  ~CacheStore();
  CacheStore(const CacheStore&) = delete;
  CacheStore& operator=(const CacheStore&) = delete;

  // Replaces the whole list atomically and records a successful sync at clock.now(). Only
  // the rows that differ from the cached list are written; returns how many rows were
  // written or removed (0: the list came back as it was, and its reply text is kept).
  Result<std::size_t> replaceList(const std::string& profile, ListKind kind,
                     const std::vector<CacheItem>& items);
  // The cached list (empty array when never synced) with its sync state.
  // withJson = false: only the count and the sync state (cheap, for status).
  Result<CachedList> list(const std::string& profile, ListKind kind, bool withJson = true);
  // One item's JSON by id, or else by exact name. NotFound; Conflict when several items
  // share that name.
  Result<std::string> get(const std::string& profile, ListKind kind, const std::string& idOrName);
  // Records a failed sync attempt; the list itself is untouched.
  Status recordSyncError(const std::string& profile, ListKind kind, const std::string& message);
  Result<SyncState> syncState(const std::string& profile, ListKind kind);
  // Forgets everything about the profile (logout). While the cache is unavailable: OK, and
  // done at reopen() before anything is served.
  Status dropProfile(const std::string& profile);

  // Copies the write-ahead log's committed pages into cache.db (SQLite's automatic
  // checkpoint at commit is off: it made the last list write of a sync ~35 ms longer). Called
  // at the start of each sync, beside its first requests. Readers are not waited for.
  Status checkpoint();
  // Open: OK. Unavailable: tries to open the files again; OK and available from now on, or
  // the new error (the reason availability() reports is updated to it).
  Status reopen();
  CacheAvailability availability() const;

  const std::string& path() const { return path_; }

 private:
  CacheStore(std::string dir, sqlite3* db, const Clock& clock, Poco::Logger& logger,
             std::int64_t maxDatabaseBytes);

  Result<SyncState> syncStateLocked(const std::string& profile, ListKind kind) REQUIRES(mutex_);
  Status dropProfileLocked(const std::string& profile) REQUIRES(mutex_);
  // The reason to answer when db_ is null.
  Error unavailableError() const REQUIRES(mutex_) EXCLUDES(stateMutex_);
  void setUnavailable(std::optional<Error> reason) EXCLUDES(stateMutex_);

  const std::string dir_;
  const std::string path_;
  const std::int64_t maxDatabaseBytes_;
  sqlite3* db_ GUARDED_BY(mutex_);  // null while unavailable
  const Clock& clock_;
  Poco::Logger& logger_;
  Mutex mutex_;  // serialises all use of db_ and guards bodies_
  mutable Mutex stateMutex_ ACQUIRED_AFTER(mutex_);  // never held across SQLite calls
  std::optional<Error> unavailable_ GUARDED_BY(stateMutex_);
  std::set<std::string> pendingDrops_ GUARDED_BY(mutex_);  // dropped while unavailable
  // Each synced list's text per (profile, kind), so a list of 10,000 sites is served without
  // reading 6 MB out of SQLite again: set by replaceList() (or by list() when missing),
  // dropped by dropProfile() and reopen(). Always the committed list's.
  struct Body {
    std::shared_ptr<const ListBody> body;
    std::size_t count = 0;
  };
  std::map<std::pair<std::string, ListKind>, Body> bodies_ GUARDED_BY(mutex_);
};

}  // namespace wpe
