#include "daemon/auth/pkce.h"

#include <catch2/catch.hpp>
#include <set>

#include "daemon/auth/url_encoding.h"

using wpe::Pkce;
using wpe::Secret;

TEST_CASE("Pkce: RFC 7636 Appendix B known answer", "[pkce]") {
  REQUIRE(Pkce::challengeFor(Secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")) ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("Pkce: verifiers are 43 unreserved characters and unique", "[pkce]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto p = Pkce::generate();
    REQUIRE(p);
    const std::string& v = p->verifier.reveal();
    REQUIRE(v.size() == 43);
    REQUIRE(
        v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") ==
        std::string::npos);
    REQUIRE(p->challenge == Pkce::challengeFor(p->verifier));
    REQUIRE(p->state.size() >= 22);  // >= 128 bits of base64url
    REQUIRE(p->state != v);
    seen.insert(v);
  }
  REQUIRE(seen.size() == 1000);
}

TEST_CASE("Pkce: base64url without padding", "[pkce]") {
  REQUIRE(Pkce::base64Url("") == "");
  REQUIRE(Pkce::base64Url("f") == "Zg");
  REQUIRE(Pkce::base64Url("fo") == "Zm8");
  REQUIRE(Pkce::base64Url("foo") == "Zm9v");
  REQUIRE(Pkce::base64Url("\xfb\xff") == "-_8");
}

TEST_CASE("Pkce: constant-time comparison", "[pkce]") {
  REQUIRE(Pkce::constantTimeEquals("abc", "abc"));
  REQUIRE_FALSE(Pkce::constantTimeEquals("abc", "abd"));
  REQUIRE_FALSE(Pkce::constantTimeEquals("abc", "ab"));
}

TEST_CASE("Pkce: percent and form encoding keep only the unreserved set", "[pkce]") {
  REQUIRE(wpe::percentEncode("a b/c:d~") == "a%20b%2Fc%3Ad~");
  REQUIRE(wpe::formEncode("a b+c&=") == "a+b%2Bc%26%3D");
}
