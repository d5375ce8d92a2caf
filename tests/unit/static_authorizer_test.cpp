#include "daemon/upstream/static_authorizer.h"

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("StaticAuthorizer: the Authorization values the API expects", "[static_authorizer]") {
  auto apiKey = StaticAuthorizer::apiKey("work", Secret("k-123"));
  CHECK(apiKey.authorization(std::chrono::seconds(60)).value().reveal() == "ApiKey k-123");
  // RFC 7617's example: Aladdin / open sesame.
  auto basic = StaticAuthorizer::basic("work", "Aladdin", Secret("open sesame"));
  CHECK(basic.authorization(std::chrono::seconds(60)).value().reveal() ==
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  // Long credentials are not wrapped onto several lines.
  auto longOne =
      StaticAuthorizer::basic("work", std::string(80, 'u'), Secret(std::string(80, 'p')));
  CHECK(longOne.authorization(std::chrono::seconds(0)).value().reveal().find('\n') ==
        std::string::npos);
}

TEST_CASE("StaticAuthorizer: a rejected key means login_required, with the command to run",
          "[static_authorizer]") {
  auto apiKey = StaticAuthorizer::apiKey("work", Secret("canary-k"));
  auto r = apiKey.afterUnauthorized(Secret("ApiKey canary-k"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::LoginRequired);
  CHECK(r.error().message ==
        "the WP Engine API rejected the stored API key for profile work; run `wpectl login "
        "--profile work --api-key`");
  CHECK(r.error().message.find("canary") == std::string::npos);
  auto basic = StaticAuthorizer::basic("p2", "u-1", Secret("canary-pw"));
  auto b = basic.afterUnauthorized(Secret("x"));
  REQUIRE_FALSE(b);
  CHECK(b.error().message.find("--basic --user u-1") != std::string::npos);
  CHECK(b.error().message.find("canary") == std::string::npos);
}
