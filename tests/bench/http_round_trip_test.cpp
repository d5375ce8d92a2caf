// HttpRoundTrip, the load generator's client, against a scripted server on a real Unix socket:
// it must read every response shape the daemon may send exactly to its end (or the next
// request's figures are wrong), and refuse the ones that would make the figures meaningless.

#include "http_round_trip.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "unix_listener.h"

namespace wpe::bench {
namespace {

// Answers the n-th request head with replies[n], written in pieces of `piece` bytes (1: a
// byte at a time, so every parse step meets a response cut anywhere).
class ScriptedServer {
 public:
  ScriptedServer(std::vector<std::string> replies, std::size_t piece)
      : replies_(std::move(replies)), piece_(piece),
        listener_([this](UnixStream& stream) { serve(stream); }) {
    REQUIRE(listener_.start());
  }
  const std::string& path() const { return listener_.path(); }

 private:
  void serve(UnixStream& stream) {
    std::string pending;
    char buffer[4096];
    std::size_t next = 0;
    for (;;) {
      auto n = stream.readSome(buffer, sizeof buffer);
      if (!n || *n == 0) return;
      pending.append(buffer, *n);
      std::size_t end;
      while ((end = pending.find("\r\n\r\n")) != std::string::npos) {
        pending.erase(0, end + 4);
        if (next == replies_.size()) return;
        const std::string& reply = replies_[next++];
        for (std::size_t at = 0; at < reply.size(); at += piece_) {
          if (!stream.writeAll(std::string_view(reply).substr(at, piece_))) return;
        }
      }
    }
  }

  std::vector<std::string> replies_;
  std::size_t piece_;
  UnixListener listener_;
};

std::unique_ptr<HttpRoundTrip> connectTo(const ScriptedServer& server) {
  auto trip = HttpRoundTrip::connect(server.path(), "/v1/profiles/default/token",
                                     std::chrono::milliseconds(5000));
  REQUIRE(trip);
  return std::move(trip.value());
}

const std::string kLength =
    "HTTP/1.1 200 OK\r\ncontent-TYPE: application/json\r\nContent-Length:  7 \r\n"
    "Connection: keep-alive\r\n\r\n{\"a\":1}";
const std::string kChunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3;x=y\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n"
    "Trailer: t\r\n\r\n";

}  // namespace

TEST_CASE("HttpRoundTrip reads Content-Length and chunked answers to their last byte",
          "[bench]") {
  const std::size_t piece = GENERATE(1, 5, 4096);
  ScriptedServer server({kLength, kChunked, kLength + kLength.substr(0, 0)}, piece);
  auto trip = connectTo(server);
  REQUIRE(trip->run());
  CHECK(trip->lastResponseBytes() == kLength.size());
  REQUIRE(trip->run());
  CHECK(trip->lastResponseBytes() == kChunked.size());
  // The third answer follows on the same connection: nothing of the first two was left over.
  REQUIRE(trip->run());
  CHECK(trip->lastResponseBytes() == kLength.size());
}

TEST_CASE("HttpRoundTrip refuses answers that would make the figures wrong", "[bench]") {
  SECTION("a non-2xx status, shown with its body") {
    ScriptedServer server(
        {"HTTP/1.1 401 Unauthorized\r\nContent-Length: 16\r\n\r\n{\"error\":\"login\"}"}, 4096);
    auto status = connectTo(server)->run();
    REQUIRE_FALSE(status);
    CHECK(status.error().upstreamStatus == 401);
    CHECK_THAT(status.error().message, Catch::Contains("HTTP/1.1 401 Unauthorized") &&
                                           Catch::Contains("{\"error\":\"login\""));
  }
  SECTION("Connection: close, in any case") {
    ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nconnection: CLOSE\r\n\r\n{}"},
                          4096);
    auto status = connectTo(server)->run();
    REQUIRE_FALSE(status);
    CHECK_THAT(status.error().message, Catch::Contains("keep-alive"));
  }
  SECTION("no length at all") {
    ScriptedServer server({"HTTP/1.1 200 OK\r\nX: y\r\n\r\n{}"}, 4096);
    auto status = connectTo(server)->run();
    REQUIRE_FALSE(status);
    CHECK_THAT(status.error().message, Catch::Contains("without Content-Length"));
  }
  SECTION("not HTTP") {
    ScriptedServer server({"SSH-2.0-OpenSSH\r\n\r\n"}, 4096);
    auto status = connectTo(server)->run();
    REQUIRE_FALSE(status);
    CHECK_THAT(status.error().message, Catch::Contains("not an HTTP response"));
  }
}

}  // namespace wpe::bench
