#include "common/error.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "common/result.h"
#include "common/secret.h"

using namespace wpe;

TEST_CASE("Error: code names round-trip and map to HTTP statuses", "[error]") {
  CHECK(errorCodeName(ErrorCode::LoginRequired) == "login_required");
  CHECK(errorCodeFromName("keyring_locked") == ErrorCode::KeyringLocked);
  CHECK(errorCodeFromName("no_such_code") == ErrorCode::Internal);
  CHECK(httpStatusFor(ErrorCode::PayloadTooLarge) == 413);
  CHECK(httpStatusFor(ErrorCode::HeadersTooLarge) == 431);
}

TEST_CASE("Result: holds a value or an error", "[result]") {
  Result<int> good = 7;
  REQUIRE(good);
  CHECK(*good == 7);
  Result<int> bad(ErrorCode::NotFound, "no such site");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::NotFound);
  Status fine;
  CHECK(fine.ok());
}

TEST_CASE("Secret: printing it never shows the value", "[secret]") {
  Secret s("canary-123");
  std::ostringstream out;
  out << s;
  CHECK(out.str() == "[redacted]");
  CHECK(s.reveal() == "canary-123");
  Secret moved(std::move(s));
  CHECK(moved.reveal() == "canary-123");
}
