#include "common/credential_text.h"

#include <catch2/catch.hpp>
#include <string>

using namespace wpe;

TEST_CASE("CredentialText: printable ASCII is accepted, spaces only inside", "[credential_text]") {
  CHECK_FALSE(credentialTextProblem("wpecanary-ak-0123456789abcdef"));
  CHECK_FALSE(credentialTextProblem("p@ss w0rd!~\"#$%&'()*+,-./:;<=>?[\\]^_`{|}"));
  CHECK_FALSE(credentialTextProblem("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"));  // a JWT
  CHECK_FALSE(
      credentialTextProblem("550e8400-e29b-41d4-a716-446655440000", CredentialPart::BasicUserId));
  CHECK_FALSE(credentialTextProblem("a:b"));  // a password may hold ':' (RFC 7617)
}

TEST_CASE("CredentialText: what breaks a header line or a Basic pair is named, never quoted",
          "[credential_text]") {
  struct Case {
    std::string value;
    CredentialPart part;
    const char* problem;
  };
  const Case cases[] = {
      {"", CredentialPart::Secret, "is empty"},
      {"k\r\nX-Injected: yes\r\n\r\nGET /smuggled", CredentialPart::Secret, "line break"},
      {"k\nX", CredentialPart::Secret, "line break"},
      {"k\rX", CredentialPart::Secret, "line break"},
      {std::string("k\0X", 3), CredentialPart::Secret, "NUL"},
      {"k\tX", CredentialPart::Secret, "control character"},
      {"k\x1b[2JX", CredentialPart::Secret, "control character"},
      {"k\x7fX", CredentialPart::Secret, "control character"},
      {"k\xc3\xa9X", CredentialPart::Secret, "non-ASCII"},
      {" kX", CredentialPart::Secret, "space"},
      {"kX ", CredentialPart::Secret, "space"},
      {"api:user", CredentialPart::BasicUserId, "':'"},
      {"user\r\n", CredentialPart::BasicUserId, "line break"},
  };
  for (const auto& c : cases) {
    INFO(c.problem);
    auto problem = credentialTextProblem(c.value, c.part);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains(c.problem));
    CHECK_THAT(*problem, !Catch::Contains("X-Injected") && !Catch::Contains("kX") &&
                             !Catch::Contains("api:user"));
  }

  auto status = checkCredentialText("k\r\nX-Injected: 1", "the API key", "run `wpectl login`");
  REQUIRE_FALSE(status);
  CHECK(status.error().code == ErrorCode::BadRequest);
  CHECK(status.error().message ==
        "the API key contains a line break (CR or LF); run `wpectl login`");
  CHECK(checkCredentialText("good-key", "the API key", "unused"));
}

TEST_CASE("CredentialText: a header value is safe without CR, LF, NUL or other controls",
          "[credential_text]") {
  CHECK(isSafeHeaderValue("Bearer abc.def"));
  CHECK(isSafeHeaderValue("Basic YTpi"));
  CHECK(isSafeHeaderValue("a\tb"));  // HTAB is OWS in RFC 7230
  CHECK_FALSE(isSafeHeaderValue("Bearer a\r\nX: y"));
  CHECK_FALSE(isSafeHeaderValue("Bearer a\nX: y"));
  CHECK_FALSE(isSafeHeaderValue(std::string("ApiKey a\0b", 10)));
  CHECK_FALSE(isSafeHeaderValue("ApiKey a\x7f"));
}
