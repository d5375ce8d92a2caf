#include "daemon/profiles/profile.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <future>

#include "daemon/credentials/memory_store.h"
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

  std::unique_ptr<Profile> profile(std::string apiUrl = "https://api.example.test/v1") {
    ProfileConfig config;
    config.name = "default";
    config.apiUrl = std::move(apiUrl);
    return std::make_unique<Profile>(config, services);
  }

  int requestsTo(const std::string& prefix) const {
    int n = 0;
    for (const auto& r : transport.requests()) n += r.url.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
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
  CHECK(stored->kind == AuthKind::ApiKey);
  CHECK(stored->value.reveal() == kKey);
  CHECK(f.syncRequests == std::vector<std::string>{"default"});

  auto token = profile->token(std::chrono::seconds(0));
  REQUIRE(token);
  CHECK((*token)->tokenType == "ApiKey");
  CHECK((*token)->authorization.reveal() == std::string("ApiKey ") + kKey);
  CHECK((*token)->accessToken.reveal() == kKey);
  CHECK_FALSE((*token)->expiresAt);
}

TEST_CASE("Profile: a token is issued once per credential and let go at logout", "[profile]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->restore());
  REQUIRE(profile->loginWithApiKey(Secret(kKey)));
  auto first = profile->token(std::chrono::seconds(0));
  auto again = profile->token(std::chrono::seconds(30));
  REQUIRE(first);
  REQUIRE(again);
  // One shared value: no copy of the key per request (issue 10).
  CHECK(first->get() == again->get());

  REQUIRE(profile->loginWithApiKey(Secret(kKey)));  // a new login: a new token, same key
  auto relogged = profile->token(std::chrono::seconds(0));
  REQUIRE(relogged);
  CHECK(relogged->get() != first->get());
  CHECK((*relogged)->authorization.reveal() == std::string("ApiKey ") + kKey);
  std::weak_ptr<const wpe::TokenInfo> old = *first, current = *relogged;
  first = again = relogged = Error(ErrorCode::Internal, "dropped");
  CHECK(old.expired());  // the profile kept only the current one: the old one is wiped
  CHECK_FALSE(current.expired());

  REQUIRE(profile->logout());
  CHECK(current.expired());
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
  CHECK(snap.kind == wpe::AuthKind::Basic);
  CHECK(snap.user == "api-user-1");
  auto token = restarted->token(std::chrono::seconds(0));
  REQUIRE(token);
  CHECK((*token)->tokenType == "Basic");
  CHECK((*token)->authorization.reveal() == "Basic YXBpLXVzZXItMTpwdy1zZWNyZXQ=");
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

TEST_CASE("Profile: a stored API key is never sent to another API host", "[profile][binding]") {
  Fixture f;
  REQUIRE(f.profile()->loginWithApiKey(Secret(kKey)));

  auto moved = f.profile("https://other.example.test:8443/v1");
  auto restored = moved->restore();
  REQUIRE_FALSE(restored);
  auto snap = moved->snapshot();
  CHECK(snap.state == CredentialState::LoginRequired);
  CHECK(snap.detail.find("https://api.example.test") != std::string::npos);
  CHECK(snap.detail.find("https://other.example.test:8443") != std::string::npos);
  CHECK(snap.detail.find("wpectl login --profile default") != std::string::npos);

  auto token = moved->token(std::chrono::seconds(0));
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ErrorCode::LoginRequired);
  CHECK(token.error().message.find("https://other.example.test:8443") != std::string::npos);
  CHECK(token.error().message.find(kKey) == std::string::npos);
  auto synced = moved->catalog().sync();
  REQUIRE_FALSE(synced);
  CHECK(moved->authorizer().error().code == ErrorCode::LoginRequired);
  CHECK(f.requestsTo("https://other.example.test") == 0);
  CHECK(f.loginRequired == std::vector<std::string>{"default"});
  // Not deleted: the old host still gets its key, and a new login replaces it.
  REQUIRE(f.store.item("default"));
  auto back = f.profile();
  REQUIRE(back->restore());
  CHECK(back->token(std::chrono::seconds(0)));
}

TEST_CASE("Profile: the binding is the origin, so another path on the same host keeps working",
          "[profile][binding]") {
  Fixture f;
  REQUIRE(f.profile("https://API.example.test:443/v1")->loginWithApiKey(Secret(kKey)));
  auto profile = f.profile("https://api.example.test/v2");
  REQUIRE(profile->restore());
  CHECK(profile->snapshot().state == CredentialState::Ready);
}

TEST_CASE("Profile: a new login on the new host replaces the refused credential",
          "[profile][binding]") {
  Fixture f;
  REQUIRE(f.profile()->loginWithBasic("api-user-1", Secret("pw-secret")));
  auto moved = f.profile("https://other.example.test/v1");
  REQUIRE_FALSE(moved->restore());
  REQUIRE(moved->loginWithApiKey(Secret(kKey)));
  CHECK(moved->snapshot().state == CredentialState::Ready);
  auto stored = f.store.item("default");
  REQUIRE(stored);
  CHECK(stored->kind == AuthKind::ApiKey);
  CHECK(stored->binding.origin == "https://other.example.test");
  auto restarted = f.profile("https://other.example.test/v1");
  REQUIRE(restarted->restore());
  CHECK(restarted->snapshot().state == CredentialState::Ready);
}

TEST_CASE("Profile: an item stored before binding existed is bound once to the configured host",
          "[profile][binding]") {
  Fixture f;
  REQUIRE(f.store.save("default", StoredCredential{AuthKind::ApiKey, Secret(kKey)}));
  const int savesBefore = f.store.saves();

  auto profile = f.profile("https://api.example.test:8443/v1");
  REQUIRE(profile->restore());
  CHECK(profile->snapshot().state == CredentialState::Ready);
  auto stored = f.store.item("default");
  REQUIRE(stored);
  CHECK(stored->binding.origin == "https://api.example.test:8443");
  CHECK(stored->value.reveal() == kKey);
  CHECK(f.store.saves() == savesBefore + 1);

  REQUIRE(f.profile("https://api.example.test:8443/v1")->restore());
  CHECK(f.store.saves() == savesBefore + 1);  // once

  auto moved = f.profile("https://api.example.test/v1");  // another port is another origin
  REQUIRE_FALSE(moved->restore());
  CHECK(moved->snapshot().state == CredentialState::LoginRequired);
}

TEST_CASE("Profile: credential_store = memory refuses a credential for another host the same way",
          "[profile][binding]") {
  Fixture f;
  MemoryStore memory;
  ProfileServices services{memory,
                           f.transport,
                           f.client,
                           f.fetcher,
                           *f.cache,
                           f.logins,
                           f.clock,
                           Poco::Logger::get("test"),
                           std::chrono::seconds(900),
                           {},
                           {}};
  ProfileConfig config;
  config.apiUrl = "https://api.example.test/v1";
  REQUIRE(Profile(config, services).loginWithApiKey(Secret(kKey)));
  REQUIRE((*memory.load("default"))->binding.origin == "https://api.example.test");

  config.apiUrl = "https://other.example.test/v1";
  Profile moved(config, services);
  REQUIRE_FALSE(moved.restore());
  auto token = moved.token(std::chrono::seconds(0));
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ErrorCode::LoginRequired);
  CHECK(token.error().message.find("https://api.example.test") != std::string::npos);
  CHECK(f.requestsTo("https://other.example.test") == 0);
}

TEST_CASE("Profile: an OAuth grant is refused when the token endpoint or the client changes",
          "[profile][binding]") {
  Fixture f;
  ProfileConfig config;
  config.auth = AuthKind::OAuth;
  config.apiUrl = "https://api.example.test/v1";
  config.tokenUrl = "https://auth.example.test/oauth/token";
  config.clientId = "client-1";
  config.revokeUrl = "https://auth.example.test/oauth/revoke";
  OAuthGrant grant;
  grant.accessToken = Secret("canary-access-token");
  grant.expiresAt = f.clock.now() + std::chrono::hours(1);
  grant.lifetime = std::chrono::hours(1);
  grant.refreshToken = Secret("canary-refresh-token");
  REQUIRE(f.store.save(
      "default", {AuthKind::OAuth, grant.toJson(), BoundCredentialStore::bindingFor(config, AuthKind::OAuth)}));
  {
    Profile same(config, f.services);
    REQUIRE(same.restore());
    CHECK(same.token(std::chrono::seconds(0)));
  }

  SECTION("token endpoint") {
    config.tokenUrl = "https://evil.example.test/oauth/token";
    Profile moved(config, f.services);
    REQUIRE_FALSE(moved.restore());
    auto token = moved.token(std::chrono::seconds(0));
    REQUIRE_FALSE(token);
    CHECK(token.error().code == ErrorCode::LoginRequired);
    CHECK(token.error().message.find("https://auth.example.test/oauth/token") != std::string::npos);
    CHECK(token.error().message.find("https://evil.example.test/oauth/token") != std::string::npos);
    CHECK(token.error().message.find("canary") == std::string::npos);
  }
  SECTION("revocation endpoint") {
    config.revokeUrl = "https://evil.example.test/oauth/revoke";
    Profile moved(config, f.services);
    REQUIRE_FALSE(moved.restore());
    CHECK(moved.snapshot().state == CredentialState::LoginRequired);
    const std::string detail = moved.snapshot().detail;
    CHECK(detail.find("https://auth.example.test/oauth/revoke") != std::string::npos);
    CHECK(detail.find("https://evil.example.test/oauth/revoke") != std::string::npos);
    CHECK(detail.find("canary") == std::string::npos);
    // Logging out forgets the refused grant without revoking it at the new host.
    REQUIRE(moved.logout());
    CHECK(f.requestsTo("https://evil.example.test") == 0);
    CHECK_FALSE(f.store.item("default"));
    return;  // erased, unlike the other sections
  }
  SECTION("revocation endpoint removed") {
    config.revokeUrl.clear();
    Profile moved(config, f.services);
    REQUIRE_FALSE(moved.restore());
    CHECK(moved.snapshot().detail.find("no revocation endpoint") != std::string::npos);
  }
  SECTION("client id") {
    config.clientId = "client-2";
    Profile moved(config, f.services);
    REQUIRE_FALSE(moved.restore());
    CHECK(moved.snapshot().state == CredentialState::LoginRequired);
    CHECK(moved.snapshot().detail.find("client-2") != std::string::npos);
  }
  CHECK(f.transport.requestCount() == 0);
  CHECK(f.store.item("default"));
}

TEST_CASE("Profile: an OAuth item bound before the revocation endpoint was is bound to it once",
          "[profile][binding]") {
  Fixture f;
  ProfileConfig config;
  config.auth = AuthKind::OAuth;
  config.apiUrl = "https://api.example.test/v1";
  config.tokenUrl = "https://auth.example.test/oauth/token";
  config.clientId = "client-1";
  config.revokeUrl = "https://auth.example.test/oauth/revoke";
  OAuthGrant grant;
  grant.accessToken = Secret("canary-access-token");
  grant.expiresAt = f.clock.now() + std::chrono::hours(1);
  grant.lifetime = std::chrono::hours(1);
  grant.refreshToken = Secret("canary-refresh-token");
  // As the code before stored it: origin, token endpoint and client id, no revocation endpoint.
  CredentialBinding old{"https://api.example.test", config.tokenUrl, config.clientId};
  REQUIRE(f.store.save("default", {AuthKind::OAuth, grant.toJson(), old}));
  const int savesBefore = f.store.saves();

  REQUIRE(Profile(config, f.services).restore());
  auto stored = f.store.item("default");
  REQUIRE(stored);
  CHECK(stored->binding.revokeEndpoint == std::optional<std::string>(config.revokeUrl));
  CHECK(stored->binding.tokenEndpoint == config.tokenUrl);
  CHECK(f.store.saves() == savesBefore + 1);
  REQUIRE(Profile(config, f.services).restore());
  CHECK(f.store.saves() == savesBefore + 1);  // once

  config.revokeUrl = "https://evil.example.test/oauth/revoke";
  Profile moved(config, f.services);
  REQUIRE_FALSE(moved.restore());
  CHECK(moved.snapshot().state == CredentialState::LoginRequired);

  SECTION("an old item is still refused when another part changed") {
    REQUIRE(f.store.save("default", {AuthKind::OAuth, grant.toJson(), old}));
    config.revokeUrl = "https://auth.example.test/oauth/revoke";
    config.clientId = "client-2";
    Profile other(config, f.services);
    REQUIRE_FALSE(other.restore());
    CHECK(other.snapshot().detail.find("client-2") != std::string::npos);
  }
  CHECK(f.transport.requestCount() == 0);
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
    CHECK((*result)->authorization.reveal() == std::string("ApiKey ") + kKey);
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

TEST_CASE("Profile: a credential that could inject a header is refused before anything is sent",
          "[profile][credential_text]") {
  Fixture f;
  auto profile = f.profile();
  REQUIRE(profile->restore());
  Result<std::string> result = std::string();
  std::string expected;
  SECTION("API key with CRLF and a smuggled request") {
    result = profile->loginWithApiKey(
        Secret("hidden\r\nX-Injected: yes\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x"));
    expected = "the API key contains a line break";
  }
  SECTION("API key with NUL") {
    result = profile->loginWithApiKey(Secret(std::string("hidden\0X-Injected", 17)));
    expected = "the API key contains a NUL byte";
  }
  SECTION("Basic password with CRLF") {
    result = profile->loginWithBasic("api-user-1", Secret("hidden\r\nX-Injected: yes"));
    expected = "the API password contains a line break";
  }
  SECTION("Basic user id with ':'") {
    result = profile->loginWithBasic("api:user", Secret("pw-secret"));
    expected = "the API user id contains ':'";
  }
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::BadRequest);
  CHECK_THAT(result.error().message, Catch::StartsWith(expected) &&
                                         Catch::Contains("nothing was sent or stored") &&
                                         Catch::Contains("wpectl login"));
  CHECK_THAT(result.error().message, !Catch::Contains("hidden") && !Catch::Contains("X-Inj"));
  CHECK(f.transport.requestCount() == 0);
  CHECK(f.store.saves() == 0);
  CHECK(profile->snapshot().state == CredentialState::LoggedOut);
}

TEST_CASE("Profile: a stored credential that breaks the rule is not used",
          "[profile][credential_text]") {
  // Written by an older wped that did not check: login_required, and nothing is sent.
  Fixture f;
  SECTION("api_key") {
    REQUIRE(
        f.store.save("default", StoredCredential{AuthKind::ApiKey, Secret("hidden\r\nX-Injected: 1")}));
  }
  SECTION("basic") {
    REQUIRE(f.store.save(
        "default", StoredCredential{AuthKind::Basic, Secret(R"({"user":"u","password":"hidden\n"})")}));
  }
  auto profile = f.profile();
  (void)profile->restore();
  auto snap = profile->snapshot();
  CHECK(snap.state == CredentialState::LoginRequired);
  CHECK_THAT(snap.detail, Catch::Contains("line break") && Catch::Contains("wpectl login") &&
                              !Catch::Contains("hidden") && !Catch::Contains("X-Inj"));
  CHECK_FALSE(profile->token(std::chrono::seconds(0)));
  CHECK(f.transport.requestCount() == 0);
}
