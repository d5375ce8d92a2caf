#include "daemon/localapi/json_body.h"

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("parseJsonObject: an object parses", "[json_body]") {
  auto r = parseJsonObject(R"({"method":"api_key","api_key":"k","n":[1,{"a":"}"}]})");
  REQUIRE(r);
  CHECK(r.value()->getValue<std::string>("method") == "api_key");
}

TEST_CASE("parseJsonObject: malformed, non-object, deep or non-UTF-8 bodies are bad_request",
          "[json_body]") {
  for (std::string body :
       {std::string("{\"a\":"), std::string("[1,2]"), std::string("\"s\""), std::string(""),
        std::string(100, '[') + std::string(100, ']'), std::string("{\"a\":\"\xff\"}"),
        std::string("{\"a\":\"\xc0\xaf\"}"), std::string("{\"a\":\"\xed\xa0\x80\"}")}) {
    INFO(body);
    auto r = parseJsonObject(body);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadRequest);
  }
  CHECK(parseJsonObject("{\"a\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"));
}
