#pragma once
// CacheStore: the SQLite cache of each profile's sites, installs and accounts
// ($cacheDir/cache.db) and of when each list was last synced. The only file that includes
// <sqlite3.h>. Holds no secret.
//
//  - The directory is created 0700, the database and its -wal/-shm files are 0600.
//  - WAL journal, a busy timeout. replaceList() swaps a whole list inside one
//    BEGIN IMMEDIATE transaction: readers see exactly the old or exactly the new list, and a
//    failure (disk full, I/O error) leaves the old one and reports the first error.
//  - A corrupt or foreign file is moved aside to cache.db.corrupt-<UTC timestamp> (with its
//    -wal/-shm) and a fresh database is built; a schema version (PRAGMA user_version) from
//    another release makes the tables be rebuilt — it is only a cache.
//  - Item JSON is stored exactly as the API sent it (compact); list() builds the JSON array by
//    concatenation, without re-parsing.
//
// Thread-safe: one connection behind a mutex. Failures are values (Internal with SQLite's
// message; NotFound from get()).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "daemon/cache/list_kind.h"
#include "daemon/core/clock.h"

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
  std::string json;  // "[{…},{…}]", in the API's order
  std::size_t count = 0;
  SyncState state;
};

class CacheStore {
 public:
  // Opens (creating or rebuilding as needed) cacheDir/cache.db. Internal if the directory
  // cannot be created or a fresh database cannot be opened. maxDatabaseBytes > 0 caps the
  // file's size (PRAGMA max_page_count): growing past it fails like a full disk (SQLITE_FULL).
  static Result<std::unique_ptr<CacheStore>> open(const std::string& cacheDir, const Clock& clock,
                                                  Poco::Logger& logger,
                                                  std::int64_t maxDatabaseBytes = 0);
  ~CacheStore();
  CacheStore(const CacheStore&) = delete;
  CacheStore& operator=(const CacheStore&) = delete;

  // Replaces the whole list atomically and records a successful sync at clock.now().
  Status replaceList(const std::string& profile, ListKind kind,
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
  // Forgets everything about the profile (logout).
  Status dropProfile(const std::string& profile);

  const std::string& path() const { return path_; }

 private:
  CacheStore(std::string path, sqlite3* db, const Clock& clock, Poco::Logger& logger);

  Result<SyncState> syncStateLocked(const std::string& profile, ListKind kind);

  const std::string path_;
  sqlite3* db_;
  const Clock& clock_;
  Poco::Logger& logger_;
  std::mutex mutex_;  // serialises all use of db_ and guards listCache_
  // The last JSON array text list() built per (profile, kind), so a list of 10,000 sites is
  // served without reading 6 MB out of SQLite again; dropped by replaceList()/dropProfile().
  struct CachedText {
    std::string json;
    std::size_t count = 0;
  };
  std::map<std::pair<std::string, ListKind>, CachedText> listCache_;
};

}  // namespace wpe
