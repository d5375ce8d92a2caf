// wped-bench-raw-get SOCKET PATH: one GET on wped's Unix socket, the body to stdout, as a whole
// process — the floor a CLI doing the same round trip can reach (bench_cli's "raw socket round
// trip"). libc only: no libstdc++ symbols, no HTTP parsing beyond finding the body. Not a tool:
// no timeouts, no chunked bodies (wped sends Content-Length).
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace {

bool writeAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: wped-bench-raw-get SOCKET PATH\n", stderr);
    return 2;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    return 3;
  }
  char request[1024];
  int length =
      std::snprintf(request, sizeof request,
                    "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", argv[2]);
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof request ||
      !writeAll(fd, request, static_cast<std::size_t>(length))) {
    return 1;
  }
  // Headers end at the first blank line; everything after it is the body, copied through.
  static char buffer[1 << 16];
  std::size_t held = 0;
  bool inBody = false;
  for (;;) {
    ssize_t n = ::read(fd, buffer + held, sizeof buffer - held);
    if (n <= 0) break;
    held += static_cast<std::size_t>(n);
    if (!inBody) {
      const char* end = static_cast<const char*>(memmem(buffer, held, "\r\n\r\n", 4));
      if (end == nullptr) {
        if (held == sizeof buffer) return 1;
        continue;
      }
      std::size_t start = static_cast<std::size_t>(end - buffer) + 4;
      if (!writeAll(STDOUT_FILENO, buffer + start, held - start)) return 1;
      inBody = true;
    } else if (!writeAll(STDOUT_FILENO, buffer, held)) {
      return 1;
    }
    held = 0;
  }
  ::close(fd);
  return inBody ? 0 : 1;
}
