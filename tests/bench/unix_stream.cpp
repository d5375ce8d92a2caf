#include "unix_stream.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wpe::bench {

namespace {

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

void setSocketTimeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

UnixStream::~UnixStream() { close(); }

UnixStream::UnixStream(UnixStream&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

UnixStream& UnixStream::operator=(UnixStream&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void UnixStream::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<UnixStream> UnixStream::connect(const std::string& path, std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Error(ErrorCode::BadRequest, "socket path too long (" + std::to_string(path.size()) +
                                            " bytes, the limit is 107): " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error(ErrorCode::Internal, errnoText("socket"));
  UnixStream stream(fd);
  setSocketTimeouts(fd, timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Error(ErrorCode::Unavailable, errnoText(("connect " + path).c_str()));
  }
  return stream;
}

Status UnixStream::writeAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(ErrorCode::Unavailable, errnoText("send"));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<std::size_t> UnixStream::readSome(char* buffer, std::size_t size) {
  for (;;) {
    ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return Error(ErrorCode::RequestTimeout, "recv: timed out waiting for the peer");
    }
    return Error(ErrorCode::Unavailable, errnoText("recv"));
  }
}

Status UnixStream::readExactly(char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    auto n = readSome(buffer + done, size - done);
    if (!n) return n.error();
    if (*n == 0) {
      return Error(ErrorCode::Unavailable, "peer closed the connection after " +
                                               std::to_string(done) + " of " +
                                               std::to_string(size) + " bytes");
    }
    done += *n;
  }
  return {};
}

}  // namespace wpe::bench
