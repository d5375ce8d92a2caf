#include "daemon/audit/sqlite_audit_store.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>

#include "daemon/cache/cache_store.h"
#include "tests/unit/fakes.h"
#include "tests/unit/temp_dir.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

AuditRecord call(WallTime t, const std::string& profile, const std::string& exe,
                 const std::string& path = "/v1/profiles/p/token") {
  AuditRecord r;
  r.time = r.lastTime = t;
  r.profile = profile;
  r.method = "GET";
  r.path = path;
  r.status = 200;
  r.peer = {42, 1000, exe, "foo.service"};
  return r;
}

}  // namespace

TEST_CASE("SqliteAuditStore: a table in the site cache's file", "[sqlite_audit_store]") {
  TempDir dir;
  FakeClock clock;
  auto cache = CacheStore::open(dir.path(), clock, Poco::Logger::get("test"));
  REQUIRE(cache);
  auto opened = SqliteAuditStore::open(dir / "cache.db");
  REQUIRE(opened);
  auto& store = **opened;
  const WallTime t0 = clock.now();
  using std::chrono::hours;

  REQUIRE(store.append({call(t0 - hours(3), "a", "/usr/bin/curl"),
                        call(t0 - hours(2), "b", "/usr/bin/wpectl"),
                        call(t0 - hours(1), "a", "/usr/bin/wpectl", "/v1/profiles/a/api/sites")}));

  SECTION("everything, oldest first, with every field") {
    auto all = store.query({});
    REQUIRE(all);
    REQUIRE(all->size() == 3);
    CHECK((*all)[0].peer.exe == "/usr/bin/curl");
    CHECK((*all)[0].peer.pid == 42);
    CHECK((*all)[0].peer.uid == 1000);
    CHECK((*all)[0].peer.unit == "foo.service");
    CHECK((*all)[0].time == t0 - hours(3));
    CHECK((*all)[2].path == "/v1/profiles/a/api/sites");
    CHECK((*all)[0].id < (*all)[1].id);
  }
  SECTION("by profile, since, and the newest `limit`") {
    auto a = store.query({"a", std::nullopt, 1000});
    REQUIRE(a);
    CHECK(a->size() == 2);
    auto recent = store.query({"", t0 - hours(2), 1000});
    REQUIRE(recent);
    CHECK(recent->size() == 2);
    auto newest = store.query({"", std::nullopt, 1});
    REQUIRE(newest);
    REQUIRE(newest->size() == 1);
    CHECK(newest->front().path == "/v1/profiles/a/api/sites");
  }
  SECTION("pruned by age, then by size") {
    auto pruned = store.prune(t0 - hours(2) - std::chrono::minutes(30), 100000);
    REQUIRE(pruned);
    CHECK(*pruned == 1);
    pruned = store.prune(t0 - hours(100), 1);
    REQUIRE(pruned);
    CHECK(*pruned == 1);
    auto left = store.query({});
    REQUIRE(left);
    REQUIRE(left->size() == 1);
    CHECK(left->front().path == "/v1/profiles/a/api/sites");
  }
  SECTION("the executables on record") {
    auto known = store.knownUses(100);
    REQUIRE(known);
    CHECK(known->size() == 3);
  }
  SECTION("the site cache keeps working beside it") {
    REQUIRE((*cache)->replaceList("a", ListKind::Sites, {}));
    auto all = store.query({});
    REQUIRE(all);
    CHECK(all->size() == 3);
  }
}

TEST_CASE("SqliteAuditStore: no cache file, no trail", "[sqlite_audit_store]") {
  TempDir dir;
  auto opened = SqliteAuditStore::open(dir / "missing.db");
  REQUIRE_FALSE(opened);
  CHECK(opened.error().message.find("missing.db") != std::string::npos);
}
