#include <catch2/catch.hpp>

#include "daemon/auth/oauth_grant.h"
#include "daemon/time/rfc3339.h"
#include "daemon/auth/token_response_parser.h"

using wpe::TokenFailureKind;
using wpe::TokenResponseParser;

TEST_CASE("TokenResponseParser: a good response", "[token_response]") {
  auto out = TokenResponseParser::parseSuccess(
      R"({"access_token":"AT","token_type":"bearer","expires_in":300,"refresh_token":"RT",)"
      R"("scope":"sites:read","unknown":{"x":[1,2]}})");
  REQUIRE(out.ok());
  REQUIRE(out.tokens->accessToken.reveal() == "AT");
  REQUIRE(out.tokens->tokenType == "Bearer");
  REQUIRE(out.tokens->expiresIn == std::chrono::seconds(300));
  REQUIRE(out.tokens->refreshToken->reveal() == "RT");
  REQUIRE(out.tokens->scope == "sites:read");
}

TEST_CASE("TokenResponseParser: missing expires_in defaults to an hour", "[token_response]") {
  auto out = TokenResponseParser::parseSuccess(R"({"access_token":"AT","token_type":"BEARER"})");
  REQUIRE(out.ok());
  REQUIRE(out.tokens->expiresIn == std::chrono::seconds(3600));
  REQUIRE_FALSE(out.tokens->refreshToken);
}

TEST_CASE("TokenResponseParser: invalid answers are refused", "[token_response]") {
  auto refused = [](const std::string& body) {
    auto out = TokenResponseParser::parseSuccess(body);
    CHECK_FALSE(out.ok());
    CHECK(out.failure.kind == TokenFailureKind::Final);
    return out.failure.message;
  };
  SECTION("malformed JSON") { refused(R"({"access_token":"AT",)"); }
  SECTION("not an object") { refused(R"(["AT"])"); }
  SECTION("no access_token") { refused(R"({"token_type":"bearer","expires_in":60})"); }
  SECTION("empty access_token") { refused(R"({"access_token":"","token_type":"bearer"})"); }
  SECTION("token_type mac") {
    auto m = refused(R"({"access_token":"SECRET-AT","token_type":"mac","expires_in":60})");
    CHECK(m.find("SECRET-AT") == std::string::npos);
  }
  SECTION("no token_type") { refused(R"({"access_token":"AT"})"); }
  SECTION("expires_in -5") {
    refused(R"({"access_token":"AT","token_type":"bearer","expires_in":-5})");
  }
  SECTION("expires_in 0") {
    refused(R"({"access_token":"AT","token_type":"bearer","expires_in":0})");
  }
  SECTION("expires_in too large") {
    refused(R"({"access_token":"AT","token_type":"bearer","expires_in":31536001})");
  }
  SECTION("expires_in a string") {
    refused(R"({"access_token":"AT","token_type":"bearer","expires_in":"60"})");
  }
  SECTION("expires_in fractional") {
    refused(R"({"access_token":"AT","token_type":"bearer","expires_in":60.5})");
  }
  SECTION("HTML") { refused("<html><body>502 Bad Gateway</body></html>"); }
  SECTION("a 5 MB body") {
    std::string big = R"({"access_token":"AT","token_type":"bearer","pad":")" +
                      std::string(5 << 20, 'x') + R"("})";
    auto m = refused(big);
    CHECK(m.find("64 KiB") != std::string::npos);
  }
}

TEST_CASE("TokenResponseParser: OAuth error bodies keep the code, escape the text",
          "[token_response]") {
  auto f = TokenResponseParser::parseError(
      400, R"({"error":"invalid_grant","error_description":"bad\u001b[31m token\nline"})");
  REQUIRE(f.kind == TokenFailureKind::OAuthError);
  REQUIRE(f.invalidGrant());
  REQUIRE(f.message.find('\x1b') == std::string::npos);
  REQUIRE(f.message.find('\n') == std::string::npos);
  REQUIRE(f.message.find("\\x1b") != std::string::npos);
  REQUIRE(f.toError().code == wpe::ErrorCode::LoginRequired);

  auto other = TokenResponseParser::parseError(401, R"({"error":"invalid_client"})");
  REQUIRE(other.kind == TokenFailureKind::OAuthError);
  REQUIRE_FALSE(other.invalidGrant());

  auto html = TokenResponseParser::parseError(502, "<html>Bad Gateway</html>");
  REQUIRE(html.kind == TokenFailureKind::Final);
  REQUIRE(html.message.find("<html>") == std::string::npos);
}

TEST_CASE("OAuthGrant: JSON round trip and corrupt blobs", "[token_response]") {
  wpe::OAuthGrant g;
  g.accessToken = wpe::Secret("AT");
  g.expiresAt = *wpe::parseRfc3339("2027-01-15T08:00:00Z");
  g.lifetime = std::chrono::seconds(3600);
  g.refreshToken = wpe::Secret("RT");
  g.scope = "sites:read";
  g.clientSecret = wpe::Secret("CS");
  auto back = wpe::OAuthGrant::fromJson(g.toJson());
  REQUIRE(back);
  REQUIRE(back->accessToken.reveal() == "AT");
  REQUIRE(back->expiresAt == g.expiresAt);
  REQUIRE(back->lifetime == g.lifetime);
  REQUIRE(back->refreshToken->reveal() == "RT");
  REQUIRE(back->clientSecret->reveal() == "CS");
  REQUIRE(wpe::formatRfc3339(back->expiresAt) == "2027-01-15T08:00:00Z");

  for (const char* bad :
       {"", "{", "[]", "null", R"({"access_token":"AT"})",
        R"({"access_token":"AT","expires_at":"yesterday","lifetime":60})",
        R"({"access_token":"AT","expires_at":"2027-01-15T08:00:00Z","lifetime":"x"})"}) {
    auto r = wpe::OAuthGrant::fromJson(wpe::Secret(bad));
    REQUIRE_FALSE(r);
    REQUIRE(r.error().message.find("AT\"") == std::string::npos);
  }
}

TEST_CASE("Rfc3339: parse offsets and fractions", "[token_response]") {
  REQUIRE(wpe::parseRfc3339("2027-01-15T09:00:00.123+01:00") ==
          wpe::parseRfc3339("2027-01-15T08:00:00Z"));
  REQUIRE_FALSE(wpe::parseRfc3339("2027-01-15 08:00:00"));
  REQUIRE_FALSE(wpe::parseRfc3339("2027-13-15T08:00:00Z"));
}

TEST_CASE("TokenResponseParser: a token that could break a header line is refused unquoted",
          "[token_response][credential_text]") {
  // The JSON escapes \r \n \u0000 arrive as the raw bytes; none of them may reach a header.
  auto refused = [](const std::string& body) {
    auto out = TokenResponseParser::parseSuccess(body);
    REQUIRE_FALSE(out.ok());
    CHECK(out.failure.kind == TokenFailureKind::Final);
    CHECK_THAT(out.failure.message, !Catch::Contains("X-Injected") && !Catch::Contains("hidden"));
    return out.failure.message;
  };
  SECTION("CRLF in access_token") {
    auto m = refused(
        R"({"access_token":"hidden\r\nX-Injected: yes\r\n\r\nGET /smuggled","token_type":"bearer"})");
    CHECK_THAT(m, Catch::Contains("access_token") && Catch::Contains("line break"));
  }
  SECTION("NUL in access_token") {
    auto m = refused(R"({"access_token":"hidden\u0000X-Injected","token_type":"bearer"})");
    CHECK_THAT(m, Catch::Contains("access_token") && Catch::Contains("NUL"));
  }
  SECTION("CRLF in refresh_token") {
    auto m = refused(
        R"({"access_token":"AT","token_type":"bearer","refresh_token":"hidden\r\nX-Injected: 1"})");
    CHECK_THAT(m, Catch::Contains("refresh_token") && Catch::Contains("line break"));
  }
  SECTION("a space around the access_token") {
    auto m = refused(R"({"access_token":" hidden","token_type":"bearer"})");
    CHECK_THAT(m, Catch::Contains("access_token") && Catch::Contains("space"));
  }
  SECTION("a non-ASCII byte in the access_token") {
    auto m = refused(R"({"access_token":"hidden\u00e9","token_type":"bearer"})");
    CHECK_THAT(m, Catch::Contains("non-ASCII"));
  }
}

TEST_CASE("OAuthGrant: a stored grant whose tokens break the credential rule is refused",
          "[token_response][credential_text]") {
  wpe::OAuthGrant g;
  g.accessToken = wpe::Secret("AT");
  g.expiresAt = *wpe::parseRfc3339("2027-01-15T08:00:00Z");
  g.lifetime = std::chrono::seconds(3600);
  g.refreshToken = wpe::Secret("RT");
  REQUIRE(wpe::OAuthGrant::fromJson(g.toJson()));
  SECTION("access_token") { g.accessToken = wpe::Secret("hidden\r\nX-Injected: yes"); }
  SECTION("refresh_token") { g.refreshToken = wpe::Secret("hidden\nX-Injected: yes"); }
  SECTION("client_secret") { g.clientSecret = wpe::Secret(std::string("hidden\0x", 8)); }
  auto back = wpe::OAuthGrant::fromJson(g.toJson());
  REQUIRE_FALSE(back);
  CHECK_THAT(back.error().message, Catch::Contains("wpectl login") && !Catch::Contains("hidden") &&
                                       !Catch::Contains("X-Inj"));
}
