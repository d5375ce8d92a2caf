#include "daemon/auth/basic_credential.h"

#include <catch2/catch.hpp>
#include <string>

using wpe::BasicCredential;
using wpe::ErrorCode;
using wpe::Secret;

TEST_CASE("BasicCredential: the keyring blob round-trips user and password", "[basic_credential]") {
  const BasicCredential original{"user-1234", Secret("pa\"ss\\word ünï")};
  auto back = BasicCredential::fromJson(original.toJson());
  REQUIRE(back);
  CHECK(back->user == "user-1234");
  CHECK(back->password.reveal() == "pa\"ss\\word ünï");
}

TEST_CASE("BasicCredential: the blob is the {user, password} JSON older wpeds stored",
          "[basic_credential]") {
  auto parsed = BasicCredential::fromJson(Secret(R"({"user":"u1","password":"p1"})"));
  REQUIRE(parsed);
  CHECK(parsed->user == "u1");
  CHECK(parsed->password.reveal() == "p1");
}

TEST_CASE("BasicCredential: a malformed blob is refused without quoting it",
          "[basic_credential]") {
  const std::string secretPart = "hunter2-SECRET";
  for (const std::string& bad : {std::string("{\"user\":\"u\"}"),
                                 std::string("{\"password\":\"") + secretPart + "\"}",
                                 std::string("not json ") + secretPart,
                                 std::string("[\"") + secretPart + "\"]",
                                 std::string("{\"user\":\"u\",\"password\":\"") + secretPart,
                                 std::string()}) {
    CAPTURE(bad.size());
    auto parsed = BasicCredential::fromJson(Secret(bad));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::Internal);
    CHECK(parsed.error().message.find("unreadable") != std::string::npos);
    CHECK(parsed.error().message.find(secretPart) == std::string::npos);
    CHECK(parsed.error().message.find("hunter2") == std::string::npos);
  }
}
