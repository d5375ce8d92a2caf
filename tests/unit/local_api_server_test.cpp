// LocalApiServer and ApiConnection on a real Unix socket, with the limits shrunk: kept-alive
// requests, the idle and header deadlines (which a blocking recv bounded by SO_RCVTIMEO must
// still keep), and stop() waking a connection that waits for a request and one whose client
// never reads its answer, from memory or from a list body's file (sendfile).

#include "daemon/localapi/local_api_server.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <string>

#include "daemon/cache/list_body.h"
#include "daemon/localapi/router.h"
#include "quiet_logger.h"
#include "temp_dir.h"

using namespace wpe;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBigBytes = 8u << 20;  // far more than a socket buffer holds

// A server with one small route and two big ones (in memory, and from a file).
struct Served {
  explicit Served(HttpLimits limits) {
    router.add("GET", "/v1/ping", [](ApiRequest&) { return ApiResponse::json(200, "{}"); });
    router.add("GET", "/v1/big", [](ApiRequest&) {
      return ApiResponse::json(200, "\"" + std::string(kBigBytes, 'x') + "\"");
    });
    router.add("GET", "/v1/big-file", [this](ApiRequest&) {
      ApiResponse r = ApiResponse::json(200, "{\"results\":");
      r.listBody = ListBody::build(dir.path(), [](const ListBody::Sink& sink) {
        const std::string chunk(1 << 16, '7');
        for (std::size_t i = 0; i < kBigBytes / chunk.size(); ++i)
          if (!sink(chunk)) return false;
        return true;
      });
      r.bodyTail = "}";
      return r;
    });
    auto bound = bindListenSocket(dir / "api.sock");
    REQUIRE(bound);
    ServerOptions options;
    options.limits = limits;
    server =
        std::make_unique<LocalApiServer>(test::quietLogger(), router, std::move(*bound), options);
    REQUIRE(server->start());
  }
  ~Served() {
    if (server) server->stop();
  }
  // Seconds stop() took.
  double stopTimed() {
    const auto start = Steady::now();
    server->stop();
    return std::chrono::duration<double>(Steady::now() - start).count();
  }

  testing::TempDir dir;
  Router router{test::quietLogger()};
  std::unique_ptr<LocalApiServer> server;
};

// A client connection; every read gives up after 20 s (a test that hangs fails instead).
struct Client {
  explicit Client(const std::string& path) : fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{20, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fd); }
  void send(const std::string& text) const {
    REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(text.size()));
  }
  // One whole response (headers and a Content-Length body).
  std::string response() {
    for (;;) {
      const auto end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto at = pending.find("Content-Length: ");
        REQUIRE(at != std::string::npos);
        const std::size_t total = end + 4 + std::stoul(pending.substr(at + 16));
        if (pending.size() >= total) {
          std::string whole = pending.substr(0, total);
          pending.erase(0, total);
          return whole;
        }
      }
      char chunk[65536];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      REQUIRE(n > 0);
      pending.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // Everything until the server closes; `closed` says whether it did within the 20 s.
  std::string untilClosed(bool& closed) {
    std::string all = pending;
    pending.clear();
    char chunk[65536];
    for (;;) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed = n == 0;
        return all;
      }
      all.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // Bytes waiting to be read.
  int queued() const {
    int n = 0;
    ::ioctl(fd, FIONREAD, &n);
    return n;
  }

  const int fd;
  std::string pending;
};

const std::string kPing = "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n";

double secondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// Waits (polling, 20 s at most) until the server has written at least `bytes` the client
// has not read: it is then blocked writing the rest.
void waitQueued(const Client& c, int bytes) {
  const auto give_up = Steady::now() + std::chrono::seconds(20);
  while (c.queued() < bytes && Steady::now() < give_up) ::usleep(2000);
  REQUIRE(c.queued() >= bytes);
}

}  // namespace

TEST_CASE("a kept-alive connection is served in a row, then closed silently when idle",
          "[local_api_server]") {
  HttpLimits limits;
  limits.idleTimeout = milliseconds(600);
  Served s(limits);
  Client c(s.dir / "api.sock");
  for (int i = 0; i < 5; ++i) {
    c.send(kPing);
    const std::string r = c.response();
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(r.find("Connection: keep-alive") != std::string::npos);
  }
  const auto idleFrom = Steady::now();
  bool closed = false;
  CHECK(c.untilClosed(closed).empty());  // silently: no 408
  CHECK(closed);
  const double idle = secondsSince(idleFrom);
  CHECK(idle >= 0.55);  // the deadline, not before (the wait may end a twentieth early)
  CHECK(idle < 5.0);
}

TEST_CASE("a request whose headers do not finish in time gets 408", "[local_api_server]") {
  HttpLimits limits;
  limits.headerTimeout = milliseconds(500);
  limits.idleTimeout = milliseconds(5000);
  Served s(limits);
  Client c(s.dir / "api.sock");
  const auto start = Steady::now();
  c.send("GET /v1/ping HTTP/1.1\r\nHost: x\r\n");  // never finished
  bool closed = false;
  const std::string all = c.untilClosed(closed);
  CHECK(all.rfind("HTTP/1.1 408 ", 0) == 0);
  CHECK(closed);
  CHECK(secondsSince(start) >= 0.45);
  CHECK(secondsSince(start) < 5.0);
}

TEST_CASE("stop() wakes a connection waiting for its next request at once", "[local_api_server]") {
  HttpLimits limits;  // the 30 s idle deadline: only stop() can end the wait in time
  Served s(limits);
  Client c(s.dir / "api.sock");
  c.send(kPing);
  CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
  Client fresh(s.dir / "api.sock");  // connected, not a byte sent: waits in its first recv
  CHECK(s.stopTimed() < 2.0);
  bool closed = false;
  CHECK(c.untilClosed(closed).empty());
  CHECK(closed);
}

TEST_CASE("stop() ends an answer whose client does not read it", "[local_api_server]") {
  HttpLimits limits;
  limits.writeTimeout = milliseconds(30000);  // only stop() can end the write in time
  Served s(limits);
  const char* path = GENERATE("/v1/big", "/v1/big-file");  // sendmsg, and sendfile(2)
  CAPTURE(path);
  Client c(s.dir / "api.sock");
  c.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  waitQueued(c, 64 * 1024);  // the answer is on its way, and stuck
  CHECK(s.stopTimed() < 2.0);
}

TEST_CASE("a client that reads its big answer slowly gets all of it", "[local_api_server]") {
  HttpLimits limits;
  Served s(limits);
  const char* path = GENERATE("/v1/big", "/v1/big-file");
  CAPTURE(path);
  Client c(s.dir / "api.sock");
  c.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  waitQueued(c, 64 * 1024);  // the server waits for room
  const std::string r = c.response();
  CHECK(r.size() > kBigBytes);
  c.send(kPing);  // the connection is still usable afterwards
  CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
}
