// StaticCredential: a stored api_key or basic item made ready — header, token, refusals.

#include "daemon/profiles/static_credential.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "daemon/auth/basic_credential.h"

using namespace wpe;

namespace {

const std::string kHint = "run `wpectl login --profile work --api-key`";

std::string header(const StaticCredential& c) {
  auto value = c.authorizer()->authorization(std::chrono::seconds(0));
  return value ? value->reveal() : "error: " + value.error().message;
}

}  // namespace

TEST_CASE("StaticCredential: an API key becomes its header and its token", "[static_credential]") {
  auto c = StaticCredential::fromStored({AuthKind::ApiKey, Secret("canary-key-1")}, "work", kHint);
  REQUIRE(c);
  CHECK(c->kind() == AuthKind::ApiKey);
  CHECK(c->user().empty());
  CHECK(header(*c) == "ApiKey canary-key-1");
  const TokenInfo& token = *c->token();
  CHECK(token.tokenType == "ApiKey");
  CHECK(token.accessToken.reveal() == "canary-key-1");
  CHECK(token.authorization.reveal() == "ApiKey canary-key-1");
  CHECK_FALSE(token.expiresAt);
  CHECK_FALSE(token.password);
}

TEST_CASE("StaticCredential: a basic item gives the Basic header, the user id and the password",
          "[static_credential]") {
  Secret item = BasicCredential{"api-user-1", Secret("pw-secret")}.toJson();
  auto c = StaticCredential::fromStored({AuthKind::Basic, item}, "work", kHint);
  REQUIRE(c);
  CHECK(c->kind() == AuthKind::Basic);
  CHECK(c->user() == "api-user-1");
  CHECK(header(*c) == "Basic YXBpLXVzZXItMTpwdy1zZWNyZXQ=");
  const TokenInfo& token = *c->token();
  CHECK(token.tokenType == "Basic");
  CHECK(token.accessToken.reveal() == "YXBpLXVzZXItMTpwdy1zZWNyZXQ=");
  CHECK(token.authorization.reveal() == "Basic YXBpLXVzZXItMTpwdy1zZWNyZXQ=");
  CHECK(token.user == "api-user-1");
  REQUIRE(token.password);
  CHECK(token.password->reveal() == "pw-secret");
}

TEST_CASE("StaticCredential: stored text a login would refuse is refused, without quoting it",
          "[static_credential]") {
  SECTION("an API key with a line break (a header injection)") {
    auto c = StaticCredential::fromStored({AuthKind::ApiKey, Secret("canary-key\r\nX-Evil: 1")},
                                          "work", kHint);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::BadRequest);
    CHECK(c.error().message.find("older wped") != std::string::npos);
    CHECK(c.error().message.find(kHint) != std::string::npos);
    CHECK(c.error().message.find("canary-key") == std::string::npos);
  }
  SECTION("a Basic user id with ':' (it would split the pair)") {
    Secret item = BasicCredential{"api:user", Secret("canary-pw")}.toJson();
    auto c = StaticCredential::fromStored({AuthKind::Basic, item}, "work", kHint);
    REQUIRE_FALSE(c);
    CHECK(c.error().message.find(kHint) != std::string::npos);
    CHECK(c.error().message.find("canary-pw") == std::string::npos);
  }
  SECTION("an unreadable Basic item") {
    auto c =
        StaticCredential::fromStored({AuthKind::Basic, Secret("canary-not-json")}, "work", kHint);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::Internal);
    CHECK(c.error().message.find("canary-not-json") == std::string::npos);
  }
  SECTION("an oauth item is not a static credential") {
    auto c = StaticCredential::fromStored({AuthKind::OAuth, Secret("{}")}, "work", kHint);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::Internal);
  }
}
