#include "ctl/profile_choice.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log_escape.h"
#include "common/profile_name.h"

namespace wpe::ctl {
namespace {

// 4 KiB: a name and a few comment lines; a bigger file is not a .wpe-profile.
constexpr std::size_t kMaxFileBytes = 4096;

bool trusted(const struct stat& st) { return st.st_uid == ::getuid() || st.st_uid == 0; }

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  auto first = s.find_first_not_of(ws);
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

std::string fixHint(const std::string& path) {
  return "; fix " + path + " (or pass --profile NAME)";
}

std::string invalidNameHint(const std::string& path) {
  return "; a profile name is 1 to 64 of A-Z a-z 0-9 _ -" + fixHint(path);
}

// The text of `path` when it is a regular file we trust; nullopt when there is none to use.
Result<std::optional<std::string>> readTrustedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    if (errno == ELOOP) {
      // A symlink: follow it only if the target is ours (stat follows; the owner of the
      // link itself does not matter, where it points does).
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !trusted(st)) {
        return std::optional<std::string>();
      }
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    }
    if (fd < 0) {
      return Error(ErrorCode::BadRequest,
                   "cannot read " + path + ": " + std::strerror(errno) +
                       "; fix its permissions, remove it, or pass --profile NAME");
    }
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !trusted(st)) {
    ::close(fd);
    return std::optional<std::string>();  // a directory, a fifo, or someone else's file
  }
  std::string text;
  char buffer[1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileBytes) break;
  }
  ::close(fd);
  if (text.size() > kMaxFileBytes) {
    return Error(ErrorCode::BadRequest,
                 path + " is larger than 4 KiB; it should hold one profile name" + fixHint(path));
  }
  return std::optional<std::string>(std::move(text));
}

}  // namespace

std::string ProfileChoice::describeSource() const {
  if (source == "default") return "the default";
  return "from " + source;
}

Result<std::string> ProfileChoice::parseFile(const std::string& text, const std::string& path) {
  std::string name;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (!name.empty()) {
      return Error(ErrorCode::BadRequest,
                   path + " names more than one profile (\"" + escapeForLog(name, 64) + "\", \"" +
                       escapeForLog(line, 64) + "\"); keep one name per file" + fixHint(path));
    }
    if (!isValidProfileName(line)) {
      return Error(ErrorCode::BadRequest, path + ": invalid profile name \"" +
                                              escapeForLog(line, 64) + "\"" +
                                              invalidNameHint(path));
    }
    name = line;
  }
  if (name.empty()) {
    return Error(ErrorCode::BadRequest,
                 path + " names no profile (only blank or # lines)" + invalidNameHint(path));
  }
  return name;
}

Result<ProfileChoice> ProfileChoice::resolve(const std::optional<std::string>& flag,
                                             const EnvLookup& env,
                                             const std::filesystem::path& start) {
  if (flag) {
    if (!isValidProfileName(*flag)) {
      return Error(ErrorCode::BadRequest, "invalid profile name \"" + escapeForLog(*flag, 64) +
                                              "\" in --profile: use 1 to 64 of A-Z a-z 0-9 _ -");
    }
    return ProfileChoice{*flag, "--profile"};
  }
  if (auto fromEnv = env("WPE_PROFILE")) {
    if (!isValidProfileName(*fromEnv)) {
      return Error(ErrorCode::BadRequest,
                   "invalid profile name \"" + escapeForLog(*fromEnv, 64) +
                       "\" in WPE_PROFILE: use 1 to 64 of A-Z a-z 0-9 _ -, or unset it");
    }
    return ProfileChoice{*fromEnv, "WPE_PROFILE"};
  }
  std::filesystem::path dir = start.empty() ? std::filesystem::path() : start.lexically_normal();
  if (!dir.has_filename() && dir != dir.root_path()) dir = dir.parent_path();  // "a/b/" → "a/b"
  while (!dir.empty()) {
    struct stat st {};
    // Someone else's directory ends the search: a file there (or above) is not ours to obey.
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || !trusted(st)) break;
    const std::string candidate = (dir / kFileName).string();
    auto text = readTrustedFile(candidate);
    if (!text) return text.error();
    if (text->has_value()) {
      auto name = parseFile(**text, candidate);
      if (!name) return name.error();
      return ProfileChoice{*name, candidate};
    }
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return ProfileChoice{"default", "default"};
}

}  // namespace wpe::ctl
