#include "daemon/system/socket_activation.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "common/log_escape.h"

namespace wpe {

Result<std::optional<int>> takeActivatedSocket() {
  const char* pidText = std::getenv("LISTEN_PID");
  const char* fdsText = std::getenv("LISTEN_FDS");
  if (pidText == nullptr && fdsText == nullptr) return std::optional<int>();
  std::string pid = pidText ? pidText : "", fds = fdsText ? fdsText : "";
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  if (pid != std::to_string(::getpid())) {
    return Error(ErrorCode::BadRequest, "socket activation: LISTEN_PID=" + escapeForLog(pid, 20) +
                                            " is not our pid " + std::to_string(::getpid()) +
                                            " (the sockets were meant for another process)");
  }
  if (fds != "1") {
    return Error(ErrorCode::BadRequest,
                 "socket activation: LISTEN_FDS=" + escapeForLog(fds, 20) +
                     ", but wped takes exactly one socket (ListenStream= once)");
  }
  const int fd = SD_LISTEN_FDS_START;
  if (sd_is_socket_unix(fd, SOCK_STREAM, 1, nullptr, 0) <= 0) {
    return Error(ErrorCode::BadRequest,
                 "socket activation: fd 3 is not a listening Unix stream socket (want "
                 "ListenStream=%t/wped/wped.sock)");
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return std::optional<int>(fd);
}

}  // namespace wpe
