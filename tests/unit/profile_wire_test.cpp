#include "common/profile_wire.h"

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("ProfileWire: login requests round-trip and are validated", "[profile_wire]") {
  LoginRequest basic;
  basic.method = "basic";
  basic.user = "u-1";
  basic.password = Secret("p\"w\\1");
  auto parsed = loginRequestFromJson(loginRequestToJson(basic));
  REQUIRE(parsed);
  CHECK(parsed->method == "basic");
  CHECK(parsed->user == "u-1");
  CHECK(parsed->password->reveal() == "p\"w\\1");

  SECTION("a method without its secret is a bad request naming the field, not a value") {
    auto missing = loginRequestFromJson(R"({"method":"api_key"})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::BadRequest);
    CHECK(missing.error().message.find("api_key") != std::string::npos);
  }
  SECTION("unknown methods and non-objects are refused") {
    CHECK_FALSE(loginRequestFromJson(R"({"method":"password"})"));
    CHECK_FALSE(loginRequestFromJson("[1,2]"));
    auto wrongType = loginRequestFromJson(R"({"method":"api_key","api_key":42})");
    REQUIRE_FALSE(wrongType);
    CHECK(wrongType.error().code == ErrorCode::BadRequest);
  }
}

TEST_CASE("ProfileWire: token replies and login progress round-trip", "[profile_wire]") {
  TokenReply reply{Secret("tok"),
                   "Bearer",
                   "2026-11-28T10:00:00Z",
                   Secret("Bearer tok"),
                   "https://api.example/v1",
                   "",
                   std::nullopt};
  auto back = tokenReplyFromJson(tokenReplyToJson(reply));
  REQUIRE(back);
  CHECK(back->accessToken.reveal() == "tok");
  CHECK(back->expiresAt == "2026-11-28T10:00:00Z");

  CHECK(back->apiUrl == "https://api.example/v1");
  CHECK_FALSE(back->password);

  TokenReply key{Secret("k"), "ApiKey", "", Secret("ApiKey k"), "", "", std::nullopt};
  CHECK(tokenReplyToJson(key).find("\"expires_at\":null") != std::string::npos);
  CHECK(tokenReplyToJson(key).find("password") == std::string::npos);

  SECTION("Basic carries the user id and the password beside the header") {
    TokenReply basic{Secret("dTpw"), "Basic",       "", Secret("Basic dTpw"), "",
                     "user-1",       Secret("p'w$")};
    auto parsed = tokenReplyFromJson(tokenReplyToJson(basic));
    REQUIRE(parsed);
    CHECK(parsed->user == "user-1");
    REQUIRE(parsed->password);
    CHECK(parsed->password->reveal() == "p'w$");
  }

  LoginProgress failed{"id1", "work", "failed",
                       Error(ErrorCode::UpstreamError, "access_denied: \"no\"\n")};
  auto progress = loginProgressFromJson(loginProgressToJson(failed));
  REQUIRE(progress);
  CHECK(progress->state == "failed");
  REQUIRE(progress->error);
  CHECK(progress->error->code == ErrorCode::UpstreamError);
  CHECK(progress->error->message == "access_denied: \"no\"\n");
}

TEST_CASE("ProfileWire: a list reply splices the cached array in unchanged", "[profile_wire]") {
  ListReplyHead head{"2026-11-28T09:00:00Z", false, 2, false, ""};
  std::string json = listReplyToJson(head, R"([{"id":"a"},{"id":"b"}])");
  CHECK(json ==
        R"({"synced_at":"2026-11-28T09:00:00Z","stale":false,"syncing":false,"last_error":null,)"
        R"("count":2,"results":[{"id":"a"},{"id":"b"}]})");
}
