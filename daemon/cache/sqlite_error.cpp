#include "daemon/cache/sqlite_error.h"

#include <sqlite3.h>

#include <cerrno>

namespace wpe {

ErrorCode classifySqliteError(int rc, int systemErrno) {
  if ((rc & 0xff) == SQLITE_FULL || systemErrno == ENOSPC || systemErrno == EDQUOT) {
    return ErrorCode::CacheFull;
  }
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
      return ErrorCode::CacheUnavailable;
    default:
      return ErrorCode::Internal;
  }
}

std::string cacheFullAdvice(ErrorCode code) {
  return code == ErrorCode::CacheFull
             ? " (the cache's filesystem is full: free space there or set cache_dir elsewhere;"
               " tokens and the passthrough work meanwhile)"
             : "";
}

Error sqliteError(sqlite3* db, const std::string& what) {
  if (!db)
    return Error(ErrorCode::CacheUnavailable, "site cache: " + what + " failed: out of memory");
  const ErrorCode code =
      classifySqliteError(sqlite3_extended_errcode(db), sqlite3_system_errno(db));
  return Error(code,
               "site cache: " + what + " failed: " + sqlite3_errmsg(db) + cacheFullAdvice(code));
}

bool sqliteExec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace wpe
