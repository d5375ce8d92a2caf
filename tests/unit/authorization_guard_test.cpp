// The last guard of the credential rule: whatever an Authorizer produced, the transport never
// writes an Authorization header that holds CR, LF, NUL or another control character.

#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <catch2/catch.hpp>
#include <string>

#include "daemon/time/clock.h"
#include "daemon/upstream/deadline_watch.h"
#include "daemon/upstream/poco_http_transport.h"
#include "daemon/upstream/ssl_initializer.h"

using namespace wpe;

namespace {

// Everything a loopback listener received within `wait` (empty when nothing connected).
std::string received(Poco::Net::ServerSocket& listener, std::chrono::milliseconds wait) {
  if (!listener.poll(Poco::Timespan(wait.count() * 1000), Poco::Net::Socket::SELECT_READ)) {
    return "";
  }
  Poco::Net::StreamSocket peer = listener.acceptConnection();
  peer.setReceiveTimeout(Poco::Timespan(wait.count() * 1000));
  std::string out;
  char buffer[4096];
  try {
    for (int n; (n = peer.receiveBytes(buffer, sizeof buffer)) > 0;) out.append(buffer, n);
  } catch (const Poco::TimeoutException&) {
  }
  return out;
}

}  // namespace

TEST_CASE("PocoHttpTransport: an Authorization value with CR, LF or NUL is never sent",
          "[poco_http_transport][credential_text]") {
  SslInitializer ssl;
  Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
  SystemClock clock;
  DeadlineWatch watch(clock);
  PocoHttpTransport transport(Poco::Logger::get("test"), watch);
  TransportOptions options;
  options.connectTimeout = std::chrono::milliseconds(500);
  options.readTimeout = std::chrono::milliseconds(300);
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(listener.address().port()) + "/v1/user";
  SECTION("CRLF") {
    request.authorization = Secret("ApiKey hidden\r\nX-Injected: yes\r\n\r\nGET /smuggled");
  }
  SECTION("LF") { request.authorization = Secret("Bearer hidden\nX-Injected: yes"); }
  SECTION("NUL") { request.authorization = Secret(std::string("ApiKey hidden\0X-Injected", 24)); }
  auto outcome = transport.sendWithPhase(request, options);
  REQUIRE_FALSE(outcome.result);
  CHECK(outcome.failedPhase == SendPhase::NotSent);
  CHECK(outcome.result.error().code == ErrorCode::BadRequest);
  CHECK_THAT(outcome.result.error().message,
             Catch::Contains("Authorization") && !Catch::Contains("hidden"));
  CHECK(received(listener, std::chrono::milliseconds(200)).empty());
}
