#include "daemon/auth/oauth_client.h"

#include <Poco/Base64Decoder.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/unit/auth_test_support.h"
#include "tests/unit/fakes.h"

using namespace std::chrono_literals;
using wpe::OAuthClient;
using wpe::Secret;
using wpe::TokenFailureKind;
using wpe::testing::FakeClock;
using wpe::testing::FakeTransport;

namespace {
wpe::ProfileConfig oauthProfile() {
  wpe::ProfileConfig p;
  p.name = "work";
  p.auth = wpe::AuthKind::OAuth;
  p.tokenUrl = "https://auth.example/oauth/token";
  p.revokeUrl = "https://auth.example/oauth/revoke";
  p.clientId = "my client:1";
  return p;
}

std::string decodeBase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder dec(in);
  return std::string(std::istreambuf_iterator<char>(dec), {});
}
}  // namespace

TEST_CASE("OAuthClient: public client exchanges a code with client_id in the body",
          "[oauth_client]") {
  FakeClock clock;
  FakeTransport transport;
  transport.enqueue(FakeTransport::json(200, wpe::testing::tokenBody("AT", 300, "RT")));
  OAuthClient client(oauthProfile(), transport, {}, clock);
  auto out = client.exchangeCode(Secret("c/ode"), Secret("verif"), "http://127.0.0.1:5555/callback",
                                 std::nullopt);
  REQUIRE(out.ok());
  REQUIRE(transport.requestCount() == 1);
  const auto req = transport.requests().front();
  REQUIRE(req.method == "POST");
  REQUIRE(req.url == "https://auth.example/oauth/token");
  REQUIRE(req.contentType == "application/x-www-form-urlencoded");
  REQUIRE_FALSE(req.authorization);
  REQUIRE(req.body ==
          "grant_type=authorization_code&code=c%2Fode&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2F"
          "callback&code_verifier=verif&client_id=my+client%3A1");
}

TEST_CASE("OAuthClient: confidential client uses HTTP Basic with form-encoded parts",
          "[oauth_client]") {
  FakeClock clock;
  FakeTransport transport;
  transport.enqueue(FakeTransport::json(200, wpe::testing::tokenBody("AT", 300)));
  OAuthClient client(oauthProfile(), transport, {}, clock);
  auto out = client.refresh(Secret("RT"), Secret("s3cr%t"));
  REQUIRE(out.ok());
  const auto req = transport.requests().front();
  REQUIRE(req.body == "grant_type=refresh_token&refresh_token=RT");
  REQUIRE(req.authorization);
  const std::string value = req.authorization->reveal();
  REQUIRE(value.rfind("Basic ", 0) == 0);
  REQUIRE(decodeBase64(value.substr(6)) == "my+client%3A1:s3cr%25t");
}

TEST_CASE("OAuthClient: failures are classified", "[oauth_client]") {
  FakeClock clock;
  FakeTransport transport;
  OAuthClient client(oauthProfile(), transport, {}, clock);

  SECTION("transport failure is transient") {
    transport.enqueue(wpe::Error(wpe::ErrorCode::UpstreamUnreachable, "connection reset"));
    auto out = client.refresh(Secret("RT-1234"), std::nullopt);
    REQUIRE(out.failure.kind == TokenFailureKind::Transient);
  }
  SECTION("429 with Retry-After seconds") {
    transport.enqueue(FakeTransport::json(429, "{}", {{"Retry-After", "30"}}));
    auto out = client.refresh(Secret("RT"), std::nullopt);
    REQUIRE(out.failure.kind == TokenFailureKind::Transient);
    REQUIRE(out.failure.retryAfter == 30s);
    REQUIRE(out.failure.toError().code == wpe::ErrorCode::RateLimited);
  }
  SECTION("503 with an HTML body is transient") {
    wpe::HttpResponse r;
    r.status = 503;
    r.body = "<html>down</html>";
    transport.enqueue(r);
    REQUIRE(client.refresh(Secret("RT"), std::nullopt).failure.kind == TokenFailureKind::Transient);
  }
  SECTION("invalid_grant is an OAuth error, final") {
    transport.enqueue(FakeTransport::json(
        400, R"({"error":"invalid_grant","error_description":"token RT-ECHO-1234 revoked"})"));
    auto out = client.refresh(Secret("RT-ECHO-1234"), std::nullopt);
    REQUIRE(out.failure.invalidGrant());
    REQUIRE(out.failure.message.find("RT-ECHO-1234") == std::string::npos);
  }
  SECTION("other 4xx is final") {
    transport.enqueue(FakeTransport::json(403, "forbidden"));
    REQUIRE(client.refresh(Secret("RT"), std::nullopt).failure.kind == TokenFailureKind::Final);
  }
  SECTION("plain http to a non-loopback host is refused before sending") {
    auto p = oauthProfile();
    p.tokenUrl = "http://auth.example/oauth/token";
    OAuthClient insecure(p, transport, {}, clock);
    auto out = insecure.refresh(Secret("RT"), std::nullopt);
    REQUIRE_FALSE(out.ok());
    REQUIRE(out.failure.message.find("https") != std::string::npos);
    REQUIRE(transport.requestCount() == 0);
  }
}

TEST_CASE("OAuthClient: Retry-After as seconds or HTTP date, clamped to an hour",
          "[oauth_client]") {
  const auto now =
      std::chrono::system_clock::from_time_t(1'800'000'000);  // Fri, 15 Jan 2027 08:00:00
  REQUIRE(OAuthClient::parseRetryAfter("120", now) == 120s);
  REQUIRE(OAuthClient::parseRetryAfter("999999", now) == 3600s);
  REQUIRE(OAuthClient::parseRetryAfter("Fri, 15 Jan 2027 08:00:45 GMT", now) == 45s);
  REQUIRE(OAuthClient::parseRetryAfter("Fri, 15 Jan 2027 07:00:00 GMT", now) == 0s);
  REQUIRE_FALSE(OAuthClient::parseRetryAfter("soon", now));
  REQUIRE_FALSE(OAuthClient::parseRetryAfter("", now));
}

TEST_CASE("OAuthClient: endpoints must be https or loopback http", "[oauth_client]") {
  REQUIRE(OAuthClient::endpointAllowed("https://auth.example/token"));
  REQUIRE(OAuthClient::endpointAllowed("http://127.0.0.1:8080/token"));
  REQUIRE(OAuthClient::endpointAllowed("http://[::1]:8080/token"));
  REQUIRE_FALSE(OAuthClient::endpointAllowed("http://auth.example/token"));
  REQUIRE_FALSE(OAuthClient::endpointAllowed("ftp://auth.example/token"));
}

TEST_CASE("OAuthClient: revoke posts RFC 7009 form", "[oauth_client]") {
  FakeClock clock;
  FakeTransport transport;
  transport.enqueue(FakeTransport::json(200, ""));
  OAuthClient client(oauthProfile(), transport, {}, clock);
  REQUIRE(client.revoke(Secret("RT"), "refresh_token", std::nullopt));
  const auto req = transport.requests().front();
  REQUIRE(req.url == "https://auth.example/oauth/revoke");
  REQUIRE(req.body == "token=RT&token_type_hint=refresh_token&client_id=my+client%3A1");

  auto p = oauthProfile();
  p.revokeUrl.clear();
  OAuthClient noRevoke(p, transport, {}, clock);
  REQUIRE_FALSE(noRevoke.revoke(Secret("RT"), "refresh_token", std::nullopt));
  REQUIRE(transport.requestCount() == 1);
}
