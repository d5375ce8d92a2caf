#include "daemon/auth/token_manager.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "daemon/auth/oauth_client.h"
#include "daemon/auth/refresh_policy.h"
#include "tests/unit/auth_test_support.h"
#include "tests/unit/fakes.h"

using namespace std::chrono_literals;
using wpe::ErrorCode;
using wpe::OAuthGrant;
using wpe::Secret;
using wpe::TokenState;
using wpe::testing::FakeClock;
using wpe::testing::FakeCredentialStore;
using wpe::testing::FakeTransport;
using wpe::testing::tokenBody;

namespace {

struct Fixture {
  FakeClock clock;
  FakeTransport transport;
  FakeCredentialStore store;
  Poco::AutoPtr<wpe::testing::RecordingChannel> channel;
  Poco::Logger& logger = wpe::testing::recordingLogger(channel);
  wpe::OAuthClient client{profile(), transport, {}, clock};
  std::atomic<int> hookCalls{0};
  wpe::TokenManager manager{"work",
                            clock,
                            store,
                            client,
                            logger,
                            [] { return 0.0; },
                            [this](const std::string& p) {
                              CHECK(p == "work");
                              ++hookCalls;
                            }};

  static wpe::ProfileConfig profile() {
    wpe::ProfileConfig p;
    p.name = "work";
    p.auth = wpe::AuthKind::OAuth;
    p.tokenUrl = "https://auth.example/token";
    p.revokeUrl = "https://auth.example/revoke";
    p.clientId = "cli";
    return p;
  }
  OAuthGrant grant(std::chrono::seconds lifetime, const std::string& access = "canary-AT-0",
                   const std::string& refresh = "canary-RT-0") {
    OAuthGrant g;
    g.accessToken = Secret(access);
    g.expiresAt = clock.now() + lifetime;
    g.lifetime = lifetime;
    if (!refresh.empty()) g.refreshToken = Secret(refresh);
    return g;
  }
  std::string storedRefreshToken() {
    auto item = store.item("work");
    if (!item) return "";
    auto g = OAuthGrant::fromJson(item->value);
    return g && g->refreshToken ? g->refreshToken->reveal() : "";
  }
  std::string authz(std::chrono::seconds minValid = 0s) {
    auto r = manager.authorization(minValid);
    return r ? r->reveal()
             : std::string("error:") + std::string(wpe::errorCodeName(r.error().code));
  }
};

}  // namespace

TEST_CASE("RefreshPolicy: refresh lead and backoff", "[token_manager]") {
  using wpe::RefreshPolicy;
  REQUIRE(RefreshPolicy::refreshLead(300s, 0.0) == 60s);
  REQUIRE(RefreshPolicy::refreshLead(3600s, 0.0) == 360s);
  REQUIRE(RefreshPolicy::refreshLead(3600s, 0.999) < 396s);
  REQUIRE(RefreshPolicy::refreshLead(3600s, 0.999) > 395s);
  REQUIRE(RefreshPolicy::refreshLead(30s, 0.0) == 15s);
  REQUIRE(RefreshPolicy::backoff(1, 0.0, std::nullopt) == 1s);
  REQUIRE(RefreshPolicy::backoff(3, 0.999, std::nullopt) < 8s);
  REQUIRE(RefreshPolicy::backoff(30, 0.999, std::nullopt) <= 300s);
  REQUIRE(RefreshPolicy::backoff(1, 0.5, 30s) == 30s);
}

TEST_CASE("TokenManager: refresh schedule", "[token_manager]") {
  Fixture f;
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(200, tokenBody("canary-AT-1", 300)));
  });
  SECTION("5 min token refreshes at 4 min") {
    REQUIRE(f.manager.install(f.grant(300s)));
    REQUIRE(f.manager.tick() == f.clock.boottime() + 60s);  // woken at least every minute
    f.clock.advance(239s);
    REQUIRE(f.manager.tick() == f.clock.boottime() + 1s);
    REQUIRE(f.transport.requestCount() == 0);
    f.clock.advance(1s);
    f.manager.tick();
    REQUIRE(f.transport.requestCount() == 1);
    REQUIRE(f.authz() == "Bearer canary-AT-1");
  }
  SECTION("past the refresh deadline a still-valid token is served without waiting") {
    REQUIRE(f.manager.install(f.grant(300s)));
    f.clock.advance(250s);
    REQUIRE(f.authz() == "Bearer canary-AT-0");
    REQUIRE(f.transport.requestCount() == 0);
    REQUIRE(f.authz(55s) == "Bearer canary-AT-1");  // 50 s left < 55 s: refreshed first
    REQUIRE(f.transport.requestCount() == 1);
  }
  SECTION("1 h token refreshes at 54 min") {
    REQUIRE(f.manager.install(f.grant(3600s)));
    f.clock.advance(54min - 1s);
    f.manager.tick();
    REQUIRE(f.transport.requestCount() == 0);
    f.clock.advance(1s);
    f.manager.tick();
    REQUIRE(f.transport.requestCount() == 1);
    REQUIRE(f.manager.snapshot().lastRefreshAt == f.clock.now());
  }
  SECTION("a token that expired without a refresh is not reported valid") {
    REQUIRE(f.manager.install(f.grant(20s)));
    f.clock.advance(21s);  // no tick(): nothing refreshed it
    auto s = f.manager.snapshot();
    CHECK(s.state == TokenState::Error);
    CHECK(s.lastError == "the access token expired before it was refreshed");
  }
  SECTION("next_refresh_at is reported in wall time") {
    REQUIRE(f.manager.install(f.grant(3600s)));
    auto s = f.manager.snapshot();
    REQUIRE(s.state == TokenState::Valid);
    REQUIRE(s.nextRefreshAt == f.clock.now() + 54min);
    REQUIRE(s.expiresAt == f.clock.now() + 1h);
  }
}

TEST_CASE("TokenManager: a token is one shared value until the grant changes", "[token_manager]") {
  Fixture f;
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(200, tokenBody("canary-AT-1", 300)));
  });
  REQUIRE(f.manager.install(f.grant(300s)));
  auto first = f.manager.token(0s);
  auto again = f.manager.token(60s);
  REQUIRE(first);
  REQUIRE(again);
  CHECK(first->get() == again->get());
  CHECK((*first)->authorization.reveal() == "Bearer canary-AT-0");

  f.clock.advance(240s);
  f.manager.tick();  // the refresh
  REQUIRE(f.transport.requestCount() == 1);
  auto refreshed = f.manager.token(0s);
  REQUIRE(refreshed);
  CHECK(refreshed->get() != first->get());
  CHECK((*refreshed)->accessToken.reveal() == "canary-AT-1");
  std::weak_ptr<const wpe::TokenInfo> old = *first, current = *refreshed;
  first = again = refreshed = wpe::Error(wpe::ErrorCode::Internal, "dropped");
  CHECK(old.expired());  // nothing in the manager kept the replaced token
  REQUIRE(f.manager.logout());
  CHECK(current.expired());
}

TEST_CASE("TokenManager: 50 concurrent callers at the deadline share one refresh",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  std::promise<void> release;
  auto released = release.get_future().share();
  f.transport.setHandler([released](const wpe::HttpRequest&) {
    released.wait();
    return wpe::Result<wpe::HttpResponse>(
        FakeTransport::json(200, tokenBody("canary-AT-new", 300, "canary-RT-new")));
  });
  f.clock.advance(300s);  // expired: nobody may get the old token
  std::atomic<int> started{0};
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < 50; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      ++started;
      return f.authz();
    }));
  }
  while (started < 50 || f.transport.requestCount() == 0) std::this_thread::yield();
  release.set_value();
  for (auto& r : results) REQUIRE(r.get() == "Bearer canary-AT-new");
  REQUIRE(f.transport.requestCount() == 1);
}

namespace {
// A store whose save() blocks until released, to observe what callers see meanwhile.
class GatedStore final : public wpe::CredentialStore {
 public:
  explicit GatedStore(FakeCredentialStore& inner) : inner_(inner) {}
  wpe::Result<std::optional<wpe::StoredCredential>> load(const std::string& p) override {
    return inner_.load(p);
  }
  wpe::Status save(const std::string& p, const wpe::StoredCredential& c) override {
    if (gate_) {
      entered_.set_value();
      gate_->wait();
    }
    return inner_.save(p, c);
  }
  wpe::Status erase(const std::string& p) override { return inner_.erase(p); }
  wpe::StoreStatus probe() override { return inner_.probe(); }
  std::future<void> arm(std::shared_future<void> gate) {
    gate_ = gate;
    entered_ = {};
    return entered_.get_future();
  }

 private:
  FakeCredentialStore& inner_;
  std::optional<std::shared_future<void>> gate_;
  std::promise<void> entered_;
};
}  // namespace

TEST_CASE("TokenManager: a rotated refresh token is persisted before the access token is served",
          "[token_manager]") {
  Fixture f;
  GatedStore gated(f.store);
  wpe::TokenManager manager("work", f.clock, gated, f.client, f.logger, [] { return 0.0; }, {});
  OAuthGrant g = f.grant(300s);
  REQUIRE(manager.install(g));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-2", 300, "canary-RT-2")));
  std::promise<void> open;
  auto entered = gated.arm(open.get_future().share());
  f.clock.advance(295s);
  auto leader = std::async(std::launch::async, [&] { return manager.authorization(0s); });
  entered.wait();  // the refresh answer arrived and the keyring write is in progress
  auto other = std::async(std::launch::async, [&] { return manager.authorization(0s); });
  REQUIRE(other.wait_for(200ms) == std::future_status::timeout);  // nobody served yet
  REQUIRE(f.storedRefreshToken() == "canary-RT-0");
  open.set_value();
  REQUIRE(leader.get()->reveal() == "Bearer canary-AT-2");
  REQUIRE(other.get()->reveal() == "Bearer canary-AT-2");
  REQUIRE(f.storedRefreshToken() == "canary-RT-2");
}

TEST_CASE("TokenManager: keyring failure keeps tokens in memory, recovered on a later tick",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-3", 300, "canary-RT-3")));
  f.store.failSavesWith(wpe::Error(ErrorCode::KeyringLocked, "collection is locked"));
  f.clock.advance(240s);
  f.manager.tick();
  REQUIRE(f.manager.snapshot().persistencePending);
  REQUIRE(f.authz() == "Bearer canary-AT-3");  // served from memory
  REQUIRE(f.storedRefreshToken() == "canary-RT-0");
  // Retried soon, not at the next refresh or the one-minute tick.
  REQUIRE(f.manager.tick() <= f.clock.boottime() + wpe::TokenManager::kPersistRetryInterval);
  REQUIRE(f.manager.snapshot().persistencePending);
  f.store.failSavesWith(std::nullopt);
  f.clock.advance(wpe::TokenManager::kPersistRetryInterval);
  f.manager.tick();
  REQUIRE_FALSE(f.manager.snapshot().persistencePending);
  REQUIRE(f.storedRefreshToken() == "canary-RT-3");
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: no refresh_token in the response keeps the old one", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-4", 300)));
  f.clock.advance(240s);
  f.manager.tick();
  REQUIRE(f.storedRefreshToken() == "canary-RT-0");
  REQUIRE(f.transport.requests().front().body.find("canary-RT-0") != std::string::npos);
}

TEST_CASE("TokenManager: invalid_grant means login required, once, without a retry loop",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(400, R"({"error":"invalid_grant"})"));
  });
  f.clock.advance(300s);
  auto r = f.manager.authorization(0s);
  REQUIRE_FALSE(r);
  REQUIRE(r.error().code == ErrorCode::LoginRequired);
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.hookCalls == 1);
  REQUIRE_FALSE(f.store.item("work"));
  REQUIRE(f.manager.snapshot().state == TokenState::LoginRequired);
  REQUIRE(f.authz() == "error:login_required");
  f.clock.advance(1h);
  f.manager.tick();
  REQUIRE(f.authz() == "error:login_required");
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.hookCalls == 1);
  // A new login clears the state.
  REQUIRE(f.manager.install(f.grant(300s, "canary-AT-5")));
  REQUIRE(f.authz() == "Bearer canary-AT-5");
}

TEST_CASE("TokenManager: a lost rotation answer leads to exactly one retry, then login_required",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.enqueue(wpe::Error(ErrorCode::UpstreamUnreachable, "connection reset by peer"));
  f.transport.enqueue(FakeTransport::json(400, R"({"error":"invalid_grant"})"));
  f.clock.advance(240s);
  for (int i = 0; i < 100; ++i) {
    f.manager.tick();
    f.clock.advance(1s);
  }
  REQUIRE(f.transport.requestCount() == 2);
  REQUIRE(f.manager.snapshot().state == TokenState::LoginRequired);
  REQUIRE(f.hookCalls == 1);
}

TEST_CASE("TokenManager: Retry-After is a floor for the next attempt", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(3600s)));
  f.transport.enqueue(FakeTransport::json(429, "{}", {{"Retry-After", "30"}}));
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(200, tokenBody("canary-AT-6", 3600)));
  });
  f.clock.advance(54min);
  REQUIRE(f.manager.tick() == f.clock.boottime() + 30s);
  REQUIRE(f.transport.requestCount() == 1);
  for (int i = 0; i < 29; ++i) {
    f.clock.advance(1s);
    f.manager.tick();
    REQUIRE(f.authz() == "Bearer canary-AT-0");  // still valid: served, no request
  }
  REQUIRE(f.transport.requestCount() == 1);
  auto r = f.manager.token(10min);  // needs a refresh, but the server said wait
  REQUIRE(r.error().code == ErrorCode::RateLimited);
  // The API still accepts the current token: the passthrough keeps working meanwhile.
  REQUIRE(f.manager.authorization(10min)->reveal() == "Bearer canary-AT-0");
  REQUIRE(f.transport.requestCount() == 1);
  f.clock.advance(1s);
  f.manager.tick();
  REQUIRE(f.transport.requestCount() == 2);
  REQUIRE(f.authz() == "Bearer canary-AT-6");
}

TEST_CASE("TokenManager: never serves an expired token", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(wpe::Error(ErrorCode::UpstreamUnreachable, "down"));
  });
  f.clock.advance(301s);
  REQUIRE(f.authz() == "error:upstream_unreachable");
  REQUIRE(f.manager.snapshot().state == TokenState::Error);
  REQUIRE(f.authz() == "error:upstream_unreachable");  // backing off: no second request yet
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: after a suspend the token is refreshed before it is served",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(3600s)));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-7", 3600)));
  f.clock.advance(2h);  // boot and wall time both jump, as after a suspend
  REQUIRE(f.authz() == "Bearer canary-AT-7");
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: afterUnauthorized refreshes once for the current token only",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(3600s)));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-8", 3600)));
  auto fresh = f.manager.afterUnauthorized(Secret("Bearer canary-AT-0"));
  REQUIRE(fresh->reveal() == "Bearer canary-AT-8");
  REQUIRE(f.transport.requestCount() == 1);
  auto again = f.manager.afterUnauthorized(Secret("Bearer canary-AT-0"));  // a late caller
  REQUIRE(again->reveal() == "Bearer canary-AT-8");
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: tokens survive a restart", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(600s)));
  wpe::TokenManager restarted("work", f.clock, f.store, f.client, f.logger, [] { return 0.0; }, {});
  REQUIRE(restarted.load());
  REQUIRE(restarted.authorization(0s)->reveal() == "Bearer canary-AT-0");
  REQUIRE(restarted.snapshot().nextRefreshAt == f.clock.now() + 540s);
  REQUIRE(f.transport.requestCount() == 0);

  SECTION("a corrupt blob is an error, not a crash") {
    REQUIRE(f.store.save("work", {wpe::AuthKind::OAuth, Secret("{not json")}));
    wpe::TokenManager broken("work", f.clock, f.store, f.client, f.logger, [] { return 0.0; }, {});
    REQUIRE_FALSE(broken.load());
    REQUIRE(broken.authorization(0s).error().code == ErrorCode::LoginRequired);
  }
}

TEST_CASE("TokenManager: logout revokes the refresh token and erases the item", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(600s)));
  f.transport.enqueue(FakeTransport::json(503, "down"));
  REQUIRE(f.manager.logout());
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.transport.requests().front().url == "https://auth.example/revoke");
  REQUIRE(f.transport.requests().front().body.find("token=canary-RT-0") == 0);
  REQUIRE_FALSE(f.store.item("work"));
  REQUIRE(f.manager.snapshot().state == TokenState::None);
  REQUIRE(f.authz() == "error:login_required");
  REQUIRE(f.hookCalls == 0);
}

TEST_CASE("TokenManager: no secret reaches the log", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.enqueue(FakeTransport::json(200, tokenBody("canary-AT-9", 300, "canary-RT-9")));
  f.transport.enqueue(FakeTransport::json(
      400, R"({"error":"invalid_grant","error_description":"canary-RT-9 is gone"})"));
  f.clock.advance(240s);
  f.manager.tick();
  f.clock.advance(240s);
  f.manager.tick();
  REQUIRE(f.manager.snapshot().state == TokenState::LoginRequired);
  const std::string log = f.channel->all();
  REQUIRE_FALSE(log.empty());
  REQUIRE(log.find("canary") == std::string::npos);
  REQUIRE(f.manager.snapshot().lastError.find("canary") == std::string::npos);
}

TEST_CASE("TokenManager: many 401s for the same token cause one refresh", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(3600s)));
  std::promise<void> release;
  auto released = release.get_future().share();
  f.transport.setHandler([released](const wpe::HttpRequest&) {
    released.wait();
    return wpe::Result<wpe::HttpResponse>(
        FakeTransport::json(200, tokenBody("canary-AT-10", 3600)));
  });
  std::vector<std::future<wpe::Result<Secret>>> results;
  for (int i = 0; i < 10; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      return f.manager.afterUnauthorized(Secret("Bearer canary-AT-0"));
    }));
  }
  while (f.transport.requestCount() == 0) std::this_thread::yield();
  release.set_value();
  for (auto& r : results) REQUIRE(r.get()->reveal() == "Bearer canary-AT-10");
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: a final refresh error stops automatic refreshes", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.enqueue(FakeTransport::json(401, R"({"error":"invalid_client"})"));
  f.clock.advance(240s);
  f.manager.tick();
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.authz() == "Bearer canary-AT-0");  // still valid for a minute
  for (int i = 0; i < 10; ++i) {
    f.clock.advance(30s);
    f.manager.tick();
  }
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.authz() == "error:upstream_error");
  REQUIRE(f.manager.snapshot().state == TokenState::Error);
  REQUIRE(f.manager.snapshot().lastError.find("invalid_client") != std::string::npos);
  REQUIRE(f.hookCalls == 0);
}

TEST_CASE("TokenManager: min_valid longer than the token lifetime is a clear error",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(200, tokenBody("canary-AT-11", 300)));
  });
  auto r = f.manager.token(1h);
  REQUIRE(r.error().code == ErrorCode::BadRequest);
  REQUIRE(f.transport.requestCount() == 1);
}

TEST_CASE("TokenManager: short-lived tokens are not refreshed on every request",
          "[token_manager]") {
  Fixture f;
  int scheduleChanges = 0;
  wpe::TokenManager manager(
      "work", f.clock, f.store, f.client, f.logger, [] { return 0.0; }, {},
      [&] { ++scheduleChanges; });
  REQUIRE(manager.install(f.grant(6s)));
  REQUIRE(scheduleChanges == 1);
  f.transport.setHandler([](const wpe::HttpRequest&) {
    return wpe::Result<wpe::HttpResponse>(FakeTransport::json(200, tokenBody("canary-AT-12", 6)));
  });
  // The passthrough asks for 60 s; a 6 s token is refreshed only once past half its life.
  for (int i = 0; i < 5; ++i) REQUIRE(manager.authorization(60s)->reveal() == "Bearer canary-AT-0");
  REQUIRE((*manager.token(0s))->accessToken.reveal() == "canary-AT-0");
  f.clock.advance(3500ms);
  REQUIRE(manager.authorization(60s)->reveal() == "Bearer canary-AT-12");
  REQUIRE(manager.authorization(60s)->reveal() == "Bearer canary-AT-12");
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(scheduleChanges == 2);
}

TEST_CASE("TokenManager: a locked keyring at start is retried by tick", "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(600s)));
  f.store.failLoadsWith(wpe::Error(ErrorCode::KeyringLocked, "the login keyring is locked"));
  wpe::TokenManager restarted("work", f.clock, f.store, f.client, f.logger, [] { return 0.0; }, {});
  REQUIRE(restarted.load().error().code == ErrorCode::KeyringLocked);
  REQUIRE(restarted.authorization(0s).error().code == ErrorCode::KeyringLocked);
  f.store.failLoadsWith(std::nullopt);
  restarted.tick();
  REQUIRE(restarted.authorization(0s)->reveal() == "Bearer canary-AT-0");
}

TEST_CASE("TokenManager: install with a failing keyring serves from memory", "[token_manager]") {
  Fixture f;
  f.store.failSavesWith(wpe::Error(ErrorCode::KeyringUnavailable, "no Secret Service"));
  REQUIRE(f.manager.install(f.grant(600s)));
  REQUIRE(f.manager.snapshot().persistencePending);
  REQUIRE(f.authz() == "Bearer canary-AT-0");
  REQUIRE_FALSE(f.store.item("work"));
  f.store.failSavesWith(std::nullopt);
  f.manager.tick();
  REQUIRE_FALSE(f.manager.snapshot().persistencePending);
  REQUIRE(f.storedRefreshToken() == "canary-RT-0");
}

TEST_CASE("TokenManager: a second load() during a refresh keeps the rotated tokens",
          "[token_manager]") {
  Fixture f;
  REQUIRE(f.manager.install(f.grant(300s)));
  std::promise<void> arrived;
  std::promise<void> release;
  auto gate = release.get_future().share();
  std::atomic<bool> signalled{false};
  f.transport.setHandler([&](const wpe::HttpRequest&) {
    if (!signalled.exchange(true)) arrived.set_value();
    gate.wait();
    return wpe::Result<wpe::HttpResponse>(
        FakeTransport::json(200, tokenBody("canary-AT-13", 300, "canary-RT-13")));
  });
  f.clock.advance(295s);
  auto leader = std::async(std::launch::async, [&] { return f.manager.authorization(0s); });
  arrived.get_future().wait();
  REQUIRE(f.manager.load());  // e.g. a request restoring the profile while the scheduler did
  release.set_value();
  REQUIRE(leader.get()->reveal() == "Bearer canary-AT-13");
  REQUIRE(f.storedRefreshToken() == "canary-RT-13");
  REQUIRE(f.transport.requestCount() == 1);
}
