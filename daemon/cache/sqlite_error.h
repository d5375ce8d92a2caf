#pragma once
// The site cache's SQLite failures as errors a user can act on, shared by the code that opens
// the database (cache_database.h) and the CacheStore that uses it.

#include <string>

#include "common/error.h"

struct sqlite3;

namespace wpe {

// A disk (or the size cap) full is CacheFull, also when SQLite reports it as an I/O error
// with errno ENOSPC; I/O errors, refused or unreadable files and a lock held past the busy
// timeout are CacheUnavailable (not bugs); anything else is Internal.
ErrorCode classifySqliteError(int rc, int systemErrno);

// What to do about a full cache (appended to its message); empty for any other code.
std::string cacheFullAdvice(ErrorCode code);

// "site cache: <what> failed: <SQLite's message>", classified; db may be null (out of memory).
Error sqliteError(sqlite3* db, const std::string& what);

// Runs `sql` (one or more statements, no rows wanted); false on any error (sqliteError says
// which).
bool sqliteExec(sqlite3* db, const std::string& sql);

}  // namespace wpe
