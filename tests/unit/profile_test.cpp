#include "daemon/profiles/profile.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <future>

#include "tests/unit/fakes.h"
#include "tests/unit/sync_stack.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

constexpr const char* kKey = "canary-key-123";

// A Profile over fakes: the API answers /user for kKey (else 401) and pages lists like the
// real one; the keyring is a map; the cache is real SQLite in a temp dir.
struct Fixture : SyncStack {
  FakeCredentialStore store;
  std::unique_ptr<CacheStore> cache = openCache();
  LoginRegistry logins{clock};
  std::vector<std::string> loginRequired;
  std::vector<std::string> syncRequests;
  ProfileServices services{store,
                           transport,
                           client,
                           fetcher,
                           *cache,
                           logins,
                           clock,
                           Poco::Logger::get("test"),
                           std::chrono::seconds(900),
                           [this](const std::string& p) { loginRequired.push_back(p); },
                           [this](const std::string& p) { syncRequests.push_back(p); }};
  int userRequests = 0;

  Fixture() : SyncStack(120, 2) {
    transport.setHandler([this](const HttpRequest& r) -> Result<HttpResponse> {
      if (r.url.size() >= 5 && r.url.compare(r.url.size() - 5, 5, "/user") == 0) {
        ++userRequests;
        const std::string& auth = r.authorization ? r.authorization->reveal() : "";
        if (auth == std::string("ApiKey ") + kKey || auth.rfind("Basic ", 0) == 0) {
          return FakeTransport::json(200, R"({"id":"u1","email":"joe@example.com"})");
        }
        return FakeTransport::json(401, R"({"message":"Bad Credentials"})");
      }
      return api.serve(r);
    });
  }

  std::unique_ptr<Profile> profile() {
    ProfileConfig config;
    config.name = "default";
    config.apiUrl = "https://api.example.test/v1";
    return std::make_unique<Profile>(config, services);
  }
};

}  // namespace

TEST_CASE("Profile: a good API key is checked upstream, stored, and served", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->restore());
  CHECK(profile->snapshot().state == CredentialState::LoggedOut);

  auto user = profile->loginWithApiKey(Secret(kKey));
  REQUIRE(user);
  CHECK(user->find("joe@example.com") != std::string::npos);
  CHECK(profile->snapshot().state == CredentialState::Ready);
  auto stored = f.store.item("default");
  REQUIRE(stored);
  CHECK(stored->kind == "api_key");
  CHECK(stored->value.reveal() == kKey);
  CHECK(f.syncRequests == std::vector<std::string>{"default"});

  auto token = profile->token(std::chrono::seconds(0));
  REQUIRE(token);
  CHECK(token->tokenType == "ApiKey");
  CHECK(token->authorization.reveal() == std::string("ApiKey ") + kKey);
  CHECK(token->accessToken.reveal() == kKey);
  CHECK_FALSE(token->expiresAt);
}

TEST_CASE("Profile: a rejected API key stores nothing and says so", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->restore());
  auto result = profile->loginWithApiKey(Secret("wrong-key"));
  REQUIRE_FALSE(result);
  CHECK(result.error().upstreamStatus == 401);
  CHECK(result.error().message.find("nothing was stored") != std::string::npos);
  CHECK(result.error().message.find("wrong-key") == std::string::npos);
  CHECK_FALSE(f.store.item("default"));
  CHECK(f.store.saves() == 0);
  CHECK(profile->snapshot().state == CredentialState::LoggedOut);
  auto token = profile->token(std::chrono::seconds(0));
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ErrorCode::LoginRequired);
}

TEST_CASE("Profile: after a restart the keyring alone makes it ready", "[profile]") {
  Fixture f;
  REQUIRE(f.profile()->loginWithBasic("api-user-1", Secret("pw-secret")));
  const int requestsBefore = static_cast<int>(f.transport.requestCount());

  auto restarted = f.profile();
  REQUIRE(restarted->restore());
  auto snap = restarted->snapshot();
  CHECK(snap.state == CredentialState::Ready);
  CHECK(snap.kind == "basic");
  CHECK(snap.user == "api-user-1");
  auto token = restarted->token(std::chrono::seconds(0));
  REQUIRE(token);
  CHECK(token->tokenType == "Basic");
  CHECK(token->authorization.reveal() == "Basic YXBpLXVzZXItMTpwdy1zZWNyZXQ=");
  CHECK(static_cast<int>(f.transport.requestCount()) == requestsBefore);
}

TEST_CASE("Profile: logout wipes the keyring item and the cached lists", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->loginWithApiKey(Secret(kKey)));
  REQUIRE(profile->catalog().sync());
  auto before = f.cache->list("default", ListKind::Sites);
  REQUIRE(before);
  CHECK(before->count == 120);

  REQUIRE(profile->logout());
  CHECK_FALSE(f.store.item("default"));
  auto after = f.cache->list("default", ListKind::Sites);
  REQUIRE(after);
  CHECK(after->count == 0);
  CHECK(profile->snapshot().state == CredentialState::LoggedOut);
  CHECK(profile->token(std::chrono::seconds(0)).error().code == ErrorCode::LoginRequired);
}

TEST_CASE("Profile: a locked keyring is reported, and retried when a token is asked for",
          "[profile]") {
  Fixture f;
  REQUIRE(f.profile()->loginWithApiKey(Secret(kKey)));
  f.store.failLoadsWith(Error(ErrorCode::KeyringLocked, "the keyring is locked; unlock it"));

  auto profile = f.profile();
  auto restored = profile->restore();
  REQUIRE_FALSE(restored);
  CHECK(profile->snapshot().state == CredentialState::StoreLocked);
  auto token = profile->token(std::chrono::seconds(0));
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ErrorCode::KeyringLocked);

  f.store.failLoadsWith(std::nullopt);  // the user unlocked it
  auto later = profile->token(std::chrono::seconds(0));
  REQUIRE(later);
  CHECK(profile->snapshot().state == CredentialState::Ready);
}

TEST_CASE("Profile: the API rejecting a stored key makes the profile login_required once",
          "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->loginWithApiKey(Secret(kKey)));
  f.api.unauthorizedLeft = 1000;  // the key was revoked upstream
  auto synced = profile->catalog().sync();
  REQUIRE_FALSE(synced);
  CHECK(synced.error().code == ErrorCode::LoginRequired);
  CHECK(profile->snapshot().state == CredentialState::LoginRequired);
  CHECK(profile->catalog().sync().error().code == ErrorCode::LoginRequired);
  CHECK(f.loginRequired == std::vector<std::string>{"default"});
}

TEST_CASE("Profile: an OAuth login needs a client_id", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  auto started = profile->beginOAuthLogin(std::nullopt);
  REQUIRE_FALSE(started);
  CHECK(started.error().code == ErrorCode::BadRequest);
  CHECK(started.error().message.find("client_id") != std::string::npos);
}

TEST_CASE("Profile: at start a request waits for the keyring read instead of 'not logged in'",
          "[profile]") {
  Fixture f;
  REQUIRE(f.profile()->loginWithApiKey(Secret(kKey)));
  auto restarted = f.profile();
  const int loadsBefore = f.store.loads();
  f.store.holdLoads(true);
  // The scheduler's first tick starts the read, as right after wped started.
  auto ticking = std::async(std::launch::async, [&] { restarted->tick(); });
  REQUIRE(f.store.waitForLoads(loadsBefore + 1));
  CHECK(restarted->snapshot().state == CredentialState::Restoring);

  SECTION("a sync request") {
    auto synced = std::async(std::launch::async, [&]() -> Status {
      if (auto settled = restarted->awaitRestore(); !settled) return settled;
      return restarted->catalog().sync();
    });
    f.store.holdLoads(false);
    auto result = synced.get();
    INFO((result ? std::string() : result.error().message));
    CHECK(result);
  }
  SECTION("a token request") {
    auto token = std::async(std::launch::async, [&] { return restarted->token({}); });
    f.store.holdLoads(false);
    auto result = token.get();
    REQUIRE(result);
    CHECK(result->authorization.reveal() == std::string("ApiKey ") + kKey);
  }
  ticking.get();
  CHECK(restarted->snapshot().state == CredentialState::Ready);
  CHECK(f.store.loads() == loadsBefore + 1);  // one keyring read served both
}

TEST_CASE("Profile: with nothing stored, awaiting the restore settles on logged out", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->awaitRestore());
  CHECK(profile->snapshot().state == CredentialState::LoggedOut);
  auto token = profile->token(std::chrono::seconds(0));
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ErrorCode::LoginRequired);
}
