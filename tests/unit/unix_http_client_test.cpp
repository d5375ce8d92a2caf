// UnixHttpClient against a scripted server on a real Unix socket: a streamed body arrives
// whole and in order through the sink, error answers are never streamed, and a sink that
// gives up fails the request.
#include "common/unix_http_client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/temp_dir.h"
#include "tests/unit/unix_listen.h"

namespace {

// Accepts one connection, reads the request head, then writes `pieces` one write() each.
class ScriptedServer {
 public:
  ScriptedServer(const std::string& path, std::vector<std::string> pieces) {
    fd_ = wpe::testing::listenUnix(path, 1);
    thread_ = std::thread([this, pieces = std::move(pieces)] {
      const int peer = ::accept(fd_, nullptr, nullptr);
      if (peer < 0) return;
      std::string head;
      char c;
      while (head.find("\r\n\r\n") == std::string::npos && ::read(peer, &c, 1) == 1) head += c;
      for (const auto& piece : pieces) {
        if (::send(peer, piece.data(), piece.size(), MSG_NOSIGNAL) < 0) break;  // peer gone
      }
      ::close(peer);
    });
  }
  ~ScriptedServer() {
    thread_.join();
    ::close(fd_);
  }

 private:
  int fd_ = -1;
  std::thread thread_;
};

std::string answer(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("UnixHttpClient: a 2xx body goes to the sink in order, none of it to reply.body",
          "[unix_http_client]") {
  wpe::testing::TempDir dir;
  const std::string big(300 * 1024, 'x');  // several reads' worth
  const std::string body = "[" + big + "]";
  const std::string whole = answer(200, body);
  // Split mid-headers and mid-body, so the first read holds both.
  ScriptedServer server(dir / "s.sock",
                        {whole.substr(0, 20), whole.substr(20, 100000), whole.substr(100020)});
  wpe::UnixHttpClient client(dir / "s.sock");
  std::string received;
  int pieces = 0;
  auto reply =
      client.request("GET", "/v1/profiles/default/sites", {}, {}, [&](std::string_view piece) {
        received.append(piece);
        ++pieces;
        return true;
      });
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body.empty());
  CHECK(received == body);
  CHECK(pieces > 1);
}

TEST_CASE("UnixHttpClient: an error answer is never streamed; it arrives whole in the reply",
          "[unix_http_client]") {
  wpe::testing::TempDir dir;
  const std::string body = R"({"error":{"code":"login_required","message":"log in"}})";
  ScriptedServer server(dir / "s.sock", {answer(401, body)});
  wpe::UnixHttpClient client(dir / "s.sock");
  bool called = false;
  auto reply = client.request("GET", "/v1/profiles/default/sites", {}, {},
                              [&](std::string_view) { return called = true; });
  REQUIRE(reply);
  CHECK(reply->status == 401);
  CHECK(reply->body == body);
  CHECK_FALSE(called);
}

TEST_CASE("UnixHttpClient: a sink that gives up fails the request with a clear error",
          "[unix_http_client]") {
  wpe::testing::TempDir dir;
  ScriptedServer server(dir / "s.sock", {answer(200, std::string(200 * 1024, 'y'))});
  wpe::UnixHttpClient client(dir / "s.sock");
  auto reply = client.request("GET", "/v1/profiles/default/sites", {}, {},
                              [](std::string_view) { return false; });
  REQUIRE_FALSE(reply);
  CHECK(reply.error().code == wpe::ErrorCode::Internal);
  CHECK(reply.error().message.find("output closed") != std::string::npos);
}
