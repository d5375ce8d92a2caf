#include "daemon/auth/loopback_listener.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "tests/unit/quiet_logger.h"

namespace {

int status(std::uint16_t port, const std::string& target, std::string* body = nullptr) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(3, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string text;
  Poco::StreamCopier::copyToString(in, text);
  if (body) *body = text;
  return response.getStatus();
}

}  // namespace

TEST_CASE("LoopbackListener: idle and half-sent connections do not hold up a request",
          "[loopback_listener]") {
  wpe::LoopbackListener listener(wpe::test::quietLogger());
  auto port = listener.start(0, [](const std::string& path, const std::string& query) {
    return wpe::LoopbackReply{200, "<p>" + path + " " + query + "</p>"};
  });
  REQUIRE(port);
  std::vector<Poco::Net::StreamSocket> stalled;
  for (int i = 0; i < 150; ++i) {
    stalled.emplace_back(Poco::Net::SocketAddress("127.0.0.1", *port));
    if (i % 10 == 0) stalled.back().sendBytes("GET /callback?x", 15);  // never finished
  }
  const auto started = std::chrono::steady_clock::now();
  std::string body;
  CHECK(status(*port, "/callback?code=c&state=s", &body) == 200);
  CHECK(body == "<p>/callback code=c&state=s</p>");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  // 64 connections at most: the quietest of the stalled ones were closed to make room.
  int closed = 0;
  for (auto& s : stalled) {
    s.setReceiveTimeout(Poco::Timespan(0, 200000));
    char c;
    try {
      if (s.receiveBytes(&c, 1) == 0) ++closed;
    } catch (const Poco::Exception&) {
      // timed out: still open
    }
  }
  CHECK(closed >= 150 - 64);
  listener.stop();
}

TEST_CASE("LoopbackListener: other methods get 405 and a garbage line 400", "[loopback_listener]") {
  wpe::LoopbackListener listener(wpe::test::quietLogger());
  auto port = listener.start(0, [](const std::string&, const std::string&) {
    return wpe::LoopbackReply{200, "ok"};
  });
  REQUIRE(port);
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", *port));
  s.sendBytes("GARBAGE\r\n\r\n", 11);
  char buf[64] = {};
  s.setReceiveTimeout(Poco::Timespan(3, 0));
  REQUIRE(s.receiveBytes(buf, sizeof buf - 1) > 12);
  CHECK(std::string(buf).rfind("HTTP/1.1 400 ", 0) == 0);
  Poco::Net::StreamSocket p(Poco::Net::SocketAddress("127.0.0.1", *port));
  p.sendBytes("POST /callback HTTP/1.1\r\nHost: x\r\n\r\n", 36);
  char buf2[64] = {};
  p.setReceiveTimeout(Poco::Timespan(3, 0));
  REQUIRE(p.receiveBytes(buf2, sizeof buf2 - 1) > 12);
  CHECK(std::string(buf2).rfind("HTTP/1.1 405 ", 0) == 0);
}
