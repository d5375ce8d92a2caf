#include "daemon/sync/site_catalog.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "tests/unit/fake_authorizer.h"
#include "tests/unit/sync_stack.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

struct Fixture : SyncStack {
  std::shared_ptr<FakeAuthorizer> authorizer = std::make_shared<FakeAuthorizer>();
  std::unique_ptr<CacheStore> cache = openCache();
  std::unique_ptr<SiteCatalog> catalog = makeCatalog();

  Fixture() { api.attach(transport); }

  std::unique_ptr<CacheStore> open() { return openCache(); }
  std::unique_ptr<SiteCatalog> makeCatalog() {
    SiteCatalogOptions options;
    options.profile = "default";
    options.apiUrl = "https://api.example.test/v1";
    options.interval = std::chrono::seconds(900);
    return std::make_unique<SiteCatalog>(options, authorizer, fetcher, *cache, clock,
                                         Poco::Logger::get("test"), [] { return 0.5; });
  }
};

}  // namespace

TEST_CASE("SiteCatalog: a sync fills every list and the snapshot serves it", "[site_catalog]") {
  Fixture f;
  auto before = f.catalog->snapshot(ListKind::Sites);
  REQUIRE(before);
  CHECK(before->stale);
  CHECK(before->body->read().value() == "[]");
  CHECK(before->syncedAt.empty());

  REQUIRE(f.catalog->sync());
  CHECK(f.api.requests == 3 + 1 + 1);  // 250 sites = 3 pages, installs, accounts
  auto sites = f.catalog->snapshot(ListKind::Sites);
  REQUIRE(sites);
  CHECK(sites->count == 250);
  CHECK_FALSE(sites->stale);
  CHECK(sites->syncedAt == "2027-01-15T08:00:00Z");
  CHECK(sites->body->read().value().rfind("[" + FakeWpeApi::itemJson("sites", 0) + ",", 0) == 0);
  CHECK(f.catalog->snapshot(ListKind::Installs)->count == 3);
  CHECK(f.catalog->snapshot(ListKind::Accounts)->count == 2);

  SECTION("older than the interval → stale") {
    f.clock.advance(std::chrono::seconds(901));
    CHECK(f.catalog->snapshot(ListKind::Sites)->stale);
  }
  SECTION("marked stale after a write → stale until the next sync") {
    f.catalog->markStale(ListKind::Sites);
    CHECK(f.catalog->snapshot(ListKind::Sites)->stale);
    CHECK_FALSE(f.catalog->snapshot(ListKind::Installs)->stale);
    REQUIRE(f.catalog->refresh(ListKind::Sites));
    CHECK_FALSE(f.catalog->snapshot(ListKind::Sites)->stale);
  }
}

TEST_CASE("SiteCatalog: concurrent refreshes share one sync", "[site_catalog]") {
  Fixture f;
  f.api.latencyMs = 20;
  constexpr int kCallers = 8;
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      if (f.catalog->refresh(ListKind::Sites)) ++ok;
    });
  }
  for (auto& t : callers) t.join();
  CHECK(ok == kCallers);
  // One sync of the sites list is 3 pages. Callers that arrived after it finished may have
  // started one more, but never one each.
  CHECK(f.api.requests % 3 == 0);
  CHECK(f.api.requests <= 6);
}

TEST_CASE("SiteCatalog: joiners get the running sync's result without new requests",
          "[site_catalog]") {
  Fixture f;
  f.api.latencyMs = 50;
  std::thread first([&] { CHECK(f.catalog->sync()); });
  // Wait until the first sync is visibly running before joining it.
  while (!f.catalog->snapshot(ListKind::Sites)->syncing) std::this_thread::yield();
  std::vector<std::thread> joiners;
  for (int i = 0; i < 5; ++i)
    joiners.emplace_back([&] { CHECK(f.catalog->refresh(ListKind::Sites)); });
  first.join();
  for (auto& t : joiners) t.join();
  CHECK(f.api.requests == 5);  // one sync of all three lists, nothing more
}

TEST_CASE("SiteCatalog: a failed sync keeps the old list and reports why", "[site_catalog]") {
  Fixture f;
  REQUIRE(f.catalog->sync());
  const auto good = f.catalog->snapshot(ListKind::Sites).value();
  f.clock.advance(std::chrono::minutes(1));
  f.api.failStatus = 500;
  auto failed = f.catalog->refresh(ListKind::Sites);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == ErrorCode::UpstreamError);
  auto after = f.catalog->snapshot(ListKind::Sites);
  REQUIRE(after);
  CHECK(after->body->read().value() == good.body->read().value());
  CHECK(after->syncedAt == good.syncedAt);
  CHECK(after->stale);
  CHECK(after->lastError.find("500") != std::string::npos);
  CHECK(after->lastError.find("scripted failure") != std::string::npos);

  f.api.failStatus = 0;
  REQUIRE(f.catalog->refresh(ListKind::Sites));
  CHECK(f.catalog->snapshot(ListKind::Sites)->lastError.empty());
  CHECK_FALSE(f.catalog->snapshot(ListKind::Sites)->stale);
}

TEST_CASE("SiteCatalog: after a restart the cached list is served without the network",
          "[site_catalog]") {
  Fixture f;
  REQUIRE(f.catalog->sync());
  const auto before = f.catalog->snapshot(ListKind::Sites).value();
  const int requests = f.api.requests;
  f.catalog.reset();
  f.cache.reset();

  f.cache = f.open();  // a new CacheStore on the same file, as after a daemon restart
  f.catalog = f.makeCatalog();
  auto after = f.catalog->snapshot(ListKind::Sites);
  REQUIRE(after);
  CHECK(after->body->read().value() == before.body->read().value());
  CHECK(after->syncedAt == before.syncedAt);
  CHECK_FALSE(after->stale);
  REQUIRE(f.catalog->waitForFirstSync(ListKind::Sites, std::chrono::milliseconds(0)));
  CHECK_FALSE(f.catalog->syncIfDue());  // still fresh: the restart fetches nothing
  CHECK(f.api.requests == requests);
}

TEST_CASE("SiteCatalog: syncIfDue follows the interval with jitter", "[site_catalog]") {
  Fixture f;
  CHECK(f.catalog->syncIfDue());  // never synced
  const int afterFirst = f.api.requests;
  CHECK_FALSE(f.catalog->syncIfDue());
  f.clock.advance(std::chrono::seconds(800));
  CHECK_FALSE(f.catalog->syncIfDue());
  f.clock.advance(std::chrono::seconds(101));  // 901 s: due (random 0.5 → no jitter)
  CHECK(f.catalog->syncIfDue());
  CHECK(f.api.requests == 2 * afterFirst);
}

TEST_CASE("SiteCatalog: without a credential a sync fails with login_required", "[site_catalog]") {
  Fixture f;
  f.catalog->setAuthorizer(nullptr);
  auto r = f.catalog->waitForFirstSync(ListKind::Sites, std::chrono::seconds(1));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::LoginRequired);
  CHECK(f.api.requests == 0);
  CHECK(f.catalog->snapshot(ListKind::Sites)->lastError.find("wpectl login") != std::string::npos);
}

TEST_CASE("SiteCatalog: after a failed sync the next background attempt comes sooner",
          "[site_catalog]") {
  Fixture f;
  f.api.failStatus = 503;
  CHECK(f.catalog->syncIfDue());
  CHECK(f.catalog->snapshot(ListKind::Sites)->stale);
  const int afterFailure = f.api.requests;
  CHECK_FALSE(f.catalog->syncIfDue());
  f.api.failStatus = 0;
  f.clock.advance(std::chrono::seconds(61));  // one minute, not the 15-minute interval
  CHECK(f.catalog->syncIfDue());
  CHECK(f.api.requests > afterFailure);
  CHECK_FALSE(f.catalog->snapshot(ListKind::Sites)->stale);
}

TEST_CASE("SiteCatalog: a logout during a sync leaves no list behind", "[site_catalog]") {
  Fixture f;
  REQUIRE(f.catalog->sync());
  f.api.latencyMs = 50;
  Status running;
  std::thread sync([&] { running = f.catalog->sync(); });
  while (!f.catalog->snapshot(ListKind::Sites)->syncing) std::this_thread::yield();
  REQUIRE(f.catalog->forget());
  sync.join();
  REQUIRE_FALSE(running);
  CHECK(running.error().code == ErrorCode::LoginRequired);
  for (ListKind kind : kAllListKinds) {
    auto snapshot = f.catalog->snapshot(kind);
    REQUIRE(snapshot);
    CHECK(snapshot->count == 0);
    CHECK(snapshot->syncedAt.empty());
  }
}

TEST_CASE("SiteCatalog: a re-login during a sync reruns it with the new credentials",
          "[site_catalog]") {
  Fixture f;
  f.api.latencyMs = 50;
  Status running;
  std::thread sync([&] { running = f.catalog->sync(); });
  // Wait until the first round is under way upstream, so there is a round to discard.
  while (f.api.requests == 0) std::this_thread::yield();
  f.catalog->setAuthorizer(std::make_shared<FakeAuthorizer>());
  sync.join();
  CHECK(running);
  CHECK(f.catalog->snapshot(ListKind::Sites)->count == 250);
  CHECK(f.api.requests > 5);  // the first round was discarded and run again
}

TEST_CASE("SiteCatalog: the next background attempt honours the API's Retry-After",
          "[site_catalog]") {
  Fixture f;
  f.api.failStatus = 429;
  f.api.failRetryAfter = 300;  // longer than a request waits: the sync fails at once
  CHECK(f.catalog->syncIfDue());
  const int afterFailure = f.api.requests;
  f.clock.advance(std::chrono::seconds(120));  // past the 1-minute failure backoff
  CHECK_FALSE(f.catalog->syncIfDue());
  CHECK(f.api.requests == afterFailure);
  f.api.failStatus = 0;
  f.clock.advance(std::chrono::seconds(181));
  CHECK(f.catalog->syncIfDue());
  CHECK_FALSE(f.catalog->snapshot(ListKind::Sites)->stale);
}

TEST_CASE("SiteCatalog: a sync requested after a write does not join one begun before it",
          "[site_catalog]") {
  Fixture f;
  f.api.latencyMs = 50;
  std::thread first([&] { CHECK(f.catalog->sync()); });
  while (!f.catalog->snapshot(ListKind::Sites)->syncing) std::this_thread::yield();
  f.catalog->markStale(ListKind::Sites);  // a write went through the passthrough
  REQUIRE(f.catalog->refresh(ListKind::Sites));
  first.join();
  CHECK(f.api.requests == 5 + 3);  // the running sync, then a walk of the sites of its own
  CHECK_FALSE(f.catalog->snapshot(ListKind::Sites)->stale);
}

TEST_CASE("SiteCatalog: anyMarkedStale says whether a write came after the last sync",
          "[site_catalog]") {
  Fixture f;
  CHECK_FALSE(f.catalog->anyMarkedStale());
  REQUIRE(f.catalog->sync());
  CHECK_FALSE(f.catalog->anyMarkedStale());
  f.catalog->markStale(ListKind::Installs);  // a write went through the passthrough
  CHECK(f.catalog->anyMarkedStale());
  REQUIRE(f.catalog->refresh(ListKind::Sites));  // another list's sync does not clear it
  CHECK(f.catalog->anyMarkedStale());
  REQUIRE(f.catalog->sync());
  CHECK_FALSE(f.catalog->anyMarkedStale());
}

TEST_CASE("SiteCatalog: an unavailable cache fails the sync without requests, until it opens",
          "[site_catalog]") {
  SyncStack stack;
  stack.api.attach(stack.transport);
  const std::string cacheDir = stack.dir.path() + "/wped";
  std::filesystem::create_directory(cacheDir);
  std::filesystem::permissions(cacheDir, std::filesystem::perms::owner_all);
  std::filesystem::create_symlink(stack.dir.path() + "/elsewhere", cacheDir + "/cache.db");
  auto cache = CacheStore::openOrUnavailable(cacheDir, stack.clock, Poco::Logger::get("test"));
  SiteCatalogOptions options;
  options.profile = "default";
  options.apiUrl = "https://api.example.test/v1";
  SiteCatalog catalog(options, std::make_shared<FakeAuthorizer>(), stack.fetcher, *cache,
                      stack.clock, Poco::Logger::get("test"), [] { return 0.5; });
  auto failed = catalog.sync();
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == ErrorCode::CacheUnavailable);
  CHECK(stack.api.requests == 0);
  CHECK_FALSE(catalog.snapshot(ListKind::Sites));

  std::filesystem::remove(cacheDir + "/cache.db");
  REQUIRE(catalog.sync());
  auto sites = catalog.snapshot(ListKind::Sites);
  REQUIRE(sites);
  CHECK(sites->count == 250);
  CHECK_FALSE(sites->stale);
  CHECK(sites->lastError.empty());
}

TEST_CASE("SiteCatalog: all lists of a profile share one budget of requests in flight",
          "[site_catalog]") {
  Fixture f;
  f.api.setSize("sites", 2500);
  f.api.setSize("installs", 2500);
  f.api.setSize("accounts", 900);
  REQUIRE(f.catalog->sync());
  CHECK(f.api.requests == 25 + 25 + 9);
  CHECK(f.api.maxInFlight_ <= 8);  // SiteCatalogOptions::maxInFlight, for all three lists
  CHECK(f.api.maxInFlight_ > 4);   // more than any one list had before
}

TEST_CASE("SiteCatalog: a list written early stays whole when a later list fails",
          "[site_catalog]") {
  Fixture f;
  REQUIRE(f.catalog->sync());
  const auto oldInstalls = f.catalog->snapshot(ListKind::Installs).value();
  f.clock.advance(std::chrono::minutes(1));
  f.api.setSize("sites", 300);
  f.api.setSize("installs", 5);
  // The installs walk waits until the new sites are in the cache (they can only be if they
  // are written before the other lists finish), then fails.
  bool sitesWrittenFirst = false;
  f.transport.setHandler([&](const HttpRequest& request) -> Result<HttpResponse> {
    if (request.url.find("/installs") == std::string::npos) return f.api.serve(request);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      auto sites = f.cache->list("default", ListKind::Sites, false);
      if (sites && sites->count == 300) {
        sitesWrittenFirst = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return FakeTransport::json(400, R"({"message":"scripted failure"})");
  });
  auto result = f.catalog->sync();
  REQUIRE_FALSE(result);
  CHECK(sitesWrittenFirst);
  auto sites = f.catalog->snapshot(ListKind::Sites).value();
  CHECK(sites.count == 300);  // the new list, whole
  CHECK_FALSE(sites.stale);
  const std::string sitesJson = sites.body->read().value();
  CHECK(sitesJson.rfind("[" + FakeWpeApi::itemJson("sites", 0) + ",", 0) == 0);
  CHECK(sitesJson.find(FakeWpeApi::itemJson("sites", 299) + "]") != std::string::npos);
  auto installs = f.catalog->snapshot(ListKind::Installs).value();
  CHECK(installs.body->read().value() == oldInstalls.body->read().value());  // the old list
  CHECK(installs.count == 3);
  CHECK(installs.stale);
  CHECK(installs.lastError.find("scripted failure") != std::string::npos);
  CHECK(f.catalog->snapshot(ListKind::Accounts)->count == 2);
}
