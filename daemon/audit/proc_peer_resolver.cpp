#include "daemon/audit/proc_peer_resolver.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace wpe {
namespace {

// 8 KiB: a cgroup file holds one line per hierarchy (v1 has ~12 short ones); more is not ours.
constexpr std::size_t kMaxCgroupBytes = 8192;

std::string readSmallFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out;
  char buf[2048];
  while (out.size() < kMaxCgroupBytes) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string unitInPath(std::string_view path) {
  std::string_view found;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (endsWith(part, ".service") || endsWith(part, ".scope")) found = part;
    start = slash + 1;
  }
  return std::string(found);
}

}  // namespace

std::string ProcPeerResolver::unitFromCgroup(std::string_view text) {
  std::string v1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // "ID:CONTROLLERS:PATH"; the path may itself hold ':'.
    std::size_t first = line.find(':');
    if (first == std::string_view::npos) continue;
    std::size_t second = line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    std::string_view id = line.substr(0, first);
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    std::string_view path = line.substr(second + 1);
    if (id == "0" && controllers.empty()) {  // the v2 hierarchy; in hybrid mode v1 may name it
      if (std::string unit = unitInPath(path); !unit.empty()) return unit;
      continue;
    }
    if (controllers == "name=systemd" && v1.empty()) v1 = unitInPath(path);
  }
  return v1;
}

PeerIdentity ProcPeerResolver::resolve(int pid, unsigned uid) const {
  PeerIdentity out;
  out.pid = pid;
  out.uid = uid;
  if (pid <= 0) return out;
  const std::string base = procRoot_ + "/" + std::to_string(pid);
  char target[PATH_MAX];
  ssize_t n = ::readlink((base + "/exe").c_str(), target, sizeof target - 1);
  if (n > 0) out.exe.assign(target, static_cast<std::size_t>(n));
  out.unit = unitFromCgroup(readSmallFile(base + "/cgroup"));
  return out;
}

}  // namespace wpe
