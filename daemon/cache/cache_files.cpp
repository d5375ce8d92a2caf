#include "daemon/cache/cache_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/log_escape.h"

namespace wpe {
namespace {

// What SQLite may put beside cache.db: each is refused if it is not a plain file of ours.
constexpr const char* kCompanions[] = {"-wal", "-shm", "-journal"};

Error refused(const std::string& what, const std::string& path, const std::string& why,
              const std::string& todo) {
  return Error(ErrorCode::CacheUnavailable,
               "refusing the " + what + " " + escapeForLog(path) + ": " + why + " (" + todo + ")");
}

}  // namespace

// The cache directory: created 0700 (parents too: they hold nothing but our cache), then
// opened without following a symlink and checked through that descriptor, so what is checked
// and chmod'ed is the directory itself, never what a symlink points at.
Status makeCacheDirectory(const std::string& dir) {
  const std::string todo =
      "remove it, wped creates the directory itself, or set cache_dir to a directory of yours";
  for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      const int err = errno;
      return Error(
          err == ENOSPC || err == EDQUOT ? ErrorCode::CacheFull : ErrorCode::CacheUnavailable,
          "cannot create the cache directory " + escapeForLog(part) + ": " + std::strerror(err));
    }
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      return refused("cache directory", dir, "it is a symlink", todo);
    }
    if (err == ENOTDIR) return refused("cache directory", dir, "it is not a directory", todo);
    return Error(ErrorCode::CacheUnavailable, "cannot open the cache directory " +
                                                  escapeForLog(dir) + ": " + std::strerror(err));
  }
  struct stat st {};
  Status result;
  if (::fstat(fd, &st) != 0) {
    result =
        Error(ErrorCode::CacheUnavailable,
              "cannot read the cache directory " + escapeForLog(dir) + ": " + std::strerror(errno));
  } else if (st.st_uid != ::geteuid()) {
    result = refused("cache directory", dir,
                     "owned by uid " + std::to_string(st.st_uid) + ", not by uid " +
                         std::to_string(::geteuid()) + " that wped runs as",
                     todo);
  } else if ((st.st_mode & 0777) != 0700 && ::fchmod(fd, 0700) != 0) {
    result =
        Error(ErrorCode::CacheUnavailable, "cannot make the cache directory " + escapeForLog(dir) +
                                               " private: " + std::strerror(errno));
  }
  ::close(fd);
  return result;
}

// cache.db and what SQLite puts beside it must be plain files of ours: a symlink would make
// SQLite write through it (and give its target's mode to new -wal/-shm files). cache.db is
// created here, 0600, without following a symlink; an existing file of ours from an older
// umask is made 0600 through its descriptor.
Status checkCacheFiles(const std::string& path) {
  const std::string todo = "remove it; wped creates its cache files itself";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return Error(
          ErrorCode::CacheUnavailable,
          "cannot check the cache file " + escapeForLog(file) + ": " + std::strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) return refused("cache file", file, "it is a symlink", todo);
    if (!S_ISREG(st.st_mode)) return refused("cache file", file, "it is not a regular file", todo);
    if (st.st_uid != ::geteuid()) {
      return refused("cache file", file,
                     "owned by uid " + std::to_string(st.st_uid) + ", not by uid " +
                         std::to_string(::geteuid()) + " that wped runs as",
                     todo);
    }
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP) return refused("cache file", path, "it is a symlink", todo);
    return Error(
        err == ENOSPC || err == EDQUOT ? ErrorCode::CacheFull : ErrorCode::CacheUnavailable,
        "cannot create the cache file " + escapeForLog(path) + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 0777) != 0600) ::fchmod(fd, 0600);
  ::close(fd);
  for (const char* suffix : kCompanions) {
    const std::string file = path + suffix;
    const int companion = ::open(file.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (companion < 0) continue;  // absent (or refused above)
    if (::fstat(companion, &st) == 0 && (st.st_mode & 0777) != 0600) ::fchmod(companion, 0600);
    ::close(companion);
  }
  return {};
}

}  // namespace wpe
