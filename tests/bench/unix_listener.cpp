#include "unix_listener.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace wpe::bench {

namespace {

// A backstop only: handlers normally end when the benchmark closes its connections.
constexpr std::chrono::milliseconds kServerIoTimeout{30000};

}  // namespace

UnixListener::~UnixListener() { stop(); }

Status UnixListener::start() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/wped-bench-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return Error(ErrorCode::Internal, "mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  dir_ = buffer.data();
  path_ = dir_ + "/s.sock";

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path) {
    return Error(ErrorCode::Internal, "temporary socket path too long: " + path_);
  }
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 256) != 0) {
    return Error(ErrorCode::Internal, "listen on " + path_ + ": " + std::strerror(errno));
  }
  acceptThread_ = std::thread(&UnixListener::acceptLoop, this);
  return {};
}

void UnixListener::acceptLoop() {
  for (;;) {
    int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || fd < 0) {
      if (fd >= 0) ::close(fd);
      return;
    }
    setSocketTimeouts(fd, kServerIoTimeout);
    connections_.push_back(Connection{UnixStream(fd), std::thread()});
    Connection& connection = connections_.back();
    connection.thread = std::thread([this, &connection] { handler_(connection.stream); });
  }
}

void UnixListener::stop() {
  if (acceptThread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    // accept() has no portable wake-up; a connection of our own is one.
    auto waker = UnixStream::connect(path_, std::chrono::milliseconds(1000));
    if (!waker) ::shutdown(listenFd_, SHUT_RDWR);
    acceptThread_.join();
  }
  // No thread adds connections now. Shutting a socket down wakes a handler blocked in recv.
  for (auto& connection : connections_) ::shutdown(connection.stream.fd(), SHUT_RDWR);
  for (auto& connection : connections_) {
    if (connection.thread.joinable()) connection.thread.join();
  }
  connections_.clear();
  if (listenFd_ >= 0) ::close(listenFd_);
  listenFd_ = -1;
  if (!path_.empty()) ::unlink(path_.c_str());
  if (!dir_.empty()) ::rmdir(dir_.c_str());
  path_.clear();
  dir_.clear();
}

}  // namespace wpe::bench
