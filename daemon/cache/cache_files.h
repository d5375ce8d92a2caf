#pragma once
// The cache's place on disk, checked before SQLite touches it (docs/security.md rule 17): the
// directory and the files are refused when they are symlinks or someone else's, never
// followed or chmod'ed through. Errors are CacheUnavailable with what to do. Thread-safe.

#include <string>

#include "common/result.h"

namespace wpe {

// Creates the cache directory 0700 (parents too) and checks it through an O_NOFOLLOW
// descriptor: a symlink, a non-directory or another uid's directory is refused.
Status makeCacheDirectory(const std::string& dir);

// cache.db and its -wal, -shm and -journal, where they exist, must be regular files of ours;
// cache.db is created 0600 with O_NOFOLLOW when missing, and a looser mode is made 0600.
Status checkCacheFiles(const std::string& path);

}  // namespace wpe
