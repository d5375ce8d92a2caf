#include "daemon/upstream/rejection_watcher.h"

#include <catch2/catch.hpp>

using namespace wpe;

namespace {

// Answers afterUnauthorized() with whatever the test sets.
class ScriptedAuthorizer final : public Authorizer {
 public:
  Result<Secret> next = Secret("ApiKey fresh");
  int renewals = 0;
  Result<Secret> authorization(std::chrono::seconds) override { return Secret("ApiKey k"); }
  Result<Secret> afterUnauthorized(const Secret&) override {
    ++renewals;
    return next;
  }
};

}  // namespace

TEST_CASE("RejectionWatcher: a rejected credential is reported once per rejection",
          "[rejection_watcher]") {
  auto inner = std::make_shared<ScriptedAuthorizer>();
  int rejected = 0;
  RejectionWatcher watcher(inner, [&] { ++rejected; });

  CHECK(watcher.authorization(std::chrono::seconds(0)).value().reveal() == "ApiKey k");
  CHECK(rejected == 0);

  SECTION("LoginRequired from the wrapped authorizer: reported, and passed on as it was") {
    inner->next = Error(ErrorCode::LoginRequired, "the API key was refused; run wpectl login");
    auto result = watcher.afterUnauthorized(Secret("ApiKey k"));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::LoginRequired);
    CHECK(result.error().message == "the API key was refused; run wpectl login");
    CHECK(rejected == 1);
    static_cast<void>(watcher.afterUnauthorized(Secret("ApiKey k")));
    CHECK(rejected == 2);
  }
  SECTION("a renewed value, or a failure that says nothing of the credential: not reported") {
    CHECK(watcher.afterUnauthorized(Secret("ApiKey k")).value().reveal() == "ApiKey fresh");
    inner->next = Error(ErrorCode::KeyringLocked, "the keyring is locked");
    CHECK(watcher.afterUnauthorized(Secret("ApiKey k")).error().code == ErrorCode::KeyringLocked);
    inner->next = Error(ErrorCode::UpstreamUnreachable, "the token endpoint did not answer");
    CHECK_FALSE(watcher.afterUnauthorized(Secret("ApiKey k")));
    CHECK(rejected == 0);
    CHECK(inner->renewals == 3);
  }
}
