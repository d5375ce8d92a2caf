#pragma once
// openCacheDatabase: the site cache's SQLite file, cacheDir/cache.db, opened for CacheStore —
// the directory made (0700) and the files checked (cache_files.h), WAL with synchronous=NORMAL
// (a commit survives kill -9; all or nothing holds, docs/security.md rule 16), a quick_check,
// the tables of this schema version (a file of another version is rebuilt: it is only a
// cache), and the size cap. A corrupt file is moved aside once (cache.db.corrupt-<UTC>, with
// its -wal and -shm) and a new one started, which is logged.

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "daemon/time/clock.h"

namespace Poco {
class Logger;
}

namespace wpe {

// The open handle (the caller closes it), or why not: CacheFull (with what to do),
// CacheUnavailable (refused files, I/O errors, a file that stays corrupt), Internal.
// maxDatabaseBytes > 0 caps the file (SQLITE_FULL beyond it); 0: no cap.
Result<sqlite3*> openCacheDatabase(const std::string& cacheDir, const Clock& clock,
                                   Poco::Logger& logger, std::int64_t maxDatabaseBytes);

}  // namespace wpe
