#include "daemon/localapi/listen_socket.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/SocketImpl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log_escape.h"
#include "common/paths.h"

namespace wpe {
namespace {

// POCO has no public way to wrap an existing listening fd; these two subclasses reach the
// protected constructors that do exactly that.
class AdoptedSocketImpl : public Poco::Net::SocketImpl {
 public:
  explicit AdoptedSocketImpl(int fd) : Poco::Net::SocketImpl(fd) {}
};

class AdoptedServerSocket : public Poco::Net::ServerSocket {
 public:
  explicit AdoptedServerSocket(int fd)
      : Poco::Net::ServerSocket(new AdoptedSocketImpl(fd), true) {}  // Socket takes ownership
};

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string sysError(const std::string& what, const std::string& path, int err) {
  return what + " " + escapeForLog(path) + ": " + std::strerror(err);
}

// connect() to an existing socket file: true when a live process answers.
bool somethingListens(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  bool live = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return live;
}

}  // namespace

Status prepareSocketDirectory(const std::string& path) {
  const std::string dir = parentOf(path);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return Error(ErrorCode::Internal, sysError("cannot inspect socket directory", dir, errno));
    // Only the last component is created: a missing XDG_RUNTIME_DIR is not ours to invent.
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorCode::Internal, sysError("cannot create socket directory", dir, errno));
    }
    if (::lstat(dir.c_str(), &st) != 0) {
      return Error(ErrorCode::Internal, sysError("cannot inspect socket directory", dir, errno));
    }
  }
  if (S_ISLNK(st.st_mode)) {
    return Error(ErrorCode::BadRequest,
                 "refusing socket directory " + escapeForLog(dir) +
                     ": it is a symlink (remove it; wped creates the directory itself)");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::BadRequest,
                 "refusing socket directory " + escapeForLog(dir) + ": not a directory");
  }
  if (st.st_uid != ::geteuid()) {
    return Error(ErrorCode::BadRequest, "refusing socket directory " + escapeForLog(dir) +
                                            ": owned by uid " + std::to_string(st.st_uid) +
                                            ", not by us");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error(ErrorCode::BadRequest, "refusing socket directory " + escapeForLog(dir) +
                                            ": mode " + mode +
                                            " lets others in (want 0700: chmod 700 it)");
  }
  return {};
}

Result<ListenSocket> bindListenSocket(const std::string& path, int backlog) {
  if (auto ok = checkSocketPath(path); !ok) return ok.error();
  if (auto ok = prepareSocketDirectory(path); !ok) return ok.error();

  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Error(ErrorCode::BadRequest,
                   "refusing " + escapeForLog(path) + ": it exists and is not a socket");
    }
    if (somethingListens(path)) {
      return Error(ErrorCode::Conflict, "wped is already running on " + escapeForLog(path));
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Error(ErrorCode::Internal, sysError("cannot remove stale socket", path, errno));
    }
  }

  ListenSocket out;
  out.path = path;
  mode_t old = ::umask(0177);  // the socket file is born 0600; no thread exists yet
  try {
    out.socket.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path), false);
    out.socket.listen(backlog);
  } catch (const Poco::Exception& e) {
    ::umask(old);
    return Error(ErrorCode::Internal,
                 "cannot listen on " + escapeForLog(path) + ": " + e.displayText());
  }
  ::umask(old);
  out.ownsPath = true;
  return out;
}

Result<ListenSocket> adoptListenSocket(int fd) {
  sockaddr_un addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      addr.sun_family != AF_UNIX) {
    return Error(ErrorCode::BadRequest, "the socket passed by systemd is not a Unix socket");
  }
  ListenSocket out;
  std::size_t pathLen =
      len > offsetof(sockaddr_un, sun_path) ? len - offsetof(sockaddr_un, sun_path) : 0;
  if (pathLen == 0 || addr.sun_path[0] == '\0') {
    return Error(ErrorCode::BadRequest,
                 "the socket passed by systemd is abstract or unnamed; use a path");
  }
  out.path.assign(addr.sun_path, strnlen(addr.sun_path, pathLen));
  try {
    out.socket = AdoptedServerSocket(fd);
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::BadRequest,
                 "cannot use the socket passed by systemd: " + e.displayText());
  }
  out.ownsPath = false;
  return out;
}

}  // namespace wpe
