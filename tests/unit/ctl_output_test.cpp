#include "ctl/output.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

using wpe::ctl::Output;

namespace {

// What is readable on `fd` now (non-blocking): what the Output has written so far.
std::string drain(int fd) {
  std::string got;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) got.append(buffer, static_cast<size_t>(n));
  return got;
}

struct Pipe {
  int fds[2];
  Pipe() {
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
  }
  ~Pipe() {
    ::close(fds[0]);
    if (fds[1] >= 0) ::close(fds[1]);
  }
};

}  // namespace

TEST_CASE("Output: text, characters and integers as wpectl prints them", "[ctl][output]") {
  Output out;
  out << "up " << 3 << "d " << 'x' << std::string(" y ") << std::int64_t{-42} << " "
      << std::numeric_limits<std::uint64_t>::max();
  CHECK(out.text() == "up 3d x y -42 18446744073709551615");
  CHECK(out.ok());
}

TEST_CASE("Output: stdout is written on flush and at the end, stderr at each line",
          "[ctl][output]") {
  Pipe pipe;
  {
    Output full(pipe.fds[1], Output::Buffering::Full);
    full << "a line\n";
    CHECK(drain(pipe.fds[0]).empty());  // held until flushed
    full.flush();
    CHECK(drain(pipe.fds[0]) == "a line\n");
    full << "at the end";
  }
  CHECK(drain(pipe.fds[0]) == "at the end");
  Output line(pipe.fds[1], Output::Buffering::Line);
  line << "wpectl: ";
  CHECK(drain(pipe.fds[0]).empty());
  line << "no daemon\n";
  CHECK(drain(pipe.fds[0]) == "wpectl: no daemon\n");
  CHECK(line.text().empty());  // an fd Output keeps nothing once written
}

TEST_CASE("Output: a large body goes out without waiting for the end", "[ctl][output]") {
  Pipe pipe;
  Output out(pipe.fds[1], Output::Buffering::Full);
  out << std::string(64 * 1024, 'x');
  CHECK(drain(pipe.fds[0]).size() == 64 * 1024);
}

TEST_CASE("Output: a closed reader makes ok() false and the rest is dropped", "[ctl][output]") {
  struct sigaction ignore {}, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  Pipe pipe;
  ::close(pipe.fds[0]);
  pipe.fds[0] = ::open("/dev/null", O_RDONLY);
  Output out(pipe.fds[1], Output::Buffering::Line);
  out << "lost\n";
  CHECK_FALSE(out.ok());
  CHECK_FALSE(out.flush());
  out << "also lost\n";
  CHECK(out.text().empty());
  ::sigaction(SIGPIPE, &previous, nullptr);
}
