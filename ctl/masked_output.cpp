#include "ctl/masked_output.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "ctl/secret_masker.h"

namespace wpe::ctl {
namespace {

struct Stream {
  int from;
  int to;
  SecretMasker masker;
  bool open = true;
  bool writable = true;
};

void writeAll(Stream& s, const std::string& data) {
  std::size_t done = 0;
  while (s.writable && done < data.size()) {
    ssize_t n = write(s.to, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      s.writable = false;  // EPIPE and friends: nobody reads this stream any more
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void MaskedOutput::run() {
  // A closed stdout must not kill wpectl with the child still running (EPIPE instead).
  signal(SIGPIPE, SIG_IGN);
  Stream streams[] = {{childOut_, STDOUT_FILENO, SecretMasker(secrets_)},
                      {childErr_, STDERR_FILENO, SecretMasker(secrets_)}};
  char buffer[16384];
  while (streams[0].open || streams[1].open) {
    pollfd fds[2];
    for (int i = 0; i < 2; ++i) {
      fds[i] = {streams[i].open ? streams[i].from : -1, POLLIN, 0};
    }
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      Stream& s = streams[i];
      if (!s.open || fds[i].revents == 0) continue;
      ssize_t n = read(s.from, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        s.open = false;
        writeAll(s, s.masker.finish());
        continue;
      }
      writeAll(s, s.masker.feed(std::string_view(buffer, static_cast<std::size_t>(n))));
    }
  }
}

}  // namespace wpe::ctl
