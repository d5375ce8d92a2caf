// CacheStore::replaceList writes only the rows that differ from the cached list (issue 10).
// Whatever it skips, the list must read back exactly as the new one: in order, every item
// found by its id and name, nothing of the old list left over.
#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <random>

#include "daemon/cache/cache_store.h"
#include "tests/unit/fakes.h"
#include "tests/unit/temp_dir.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

CacheItem makeItem(const std::string& id, const std::string& name, const std::string& extra = "") {
  CacheItem item;
  item.id = id;
  item.name = name;
  item.accountId = "acc-" + std::to_string(id.size() % 3);
  item.json = R"({"id":")" + id + R"(","name":")" + name + R"(","x":")" + extra + R"("})";
  return item;
}

std::vector<CacheItem> numbered(std::size_t n) {
  std::vector<CacheItem> items;
  for (std::size_t i = 0; i < n; ++i) {
    items.push_back(makeItem("id-" + std::to_string(i), "site" + std::to_string(i)));
  }
  return items;
}

std::string joined(const std::vector<CacheItem>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i > 0 ? "," : "") + items[i].json;
  return text + "]";
}

std::unique_ptr<CacheStore> openStore(const std::string& dir, const Clock& clock) {
  auto store = CacheStore::open(dir, clock, Poco::Logger::get("test"));
  REQUIRE(store);
  return std::move(*store);
}

// The list as a reader sees it, from a fresh store on the same file too (so neither the
// kept reply text nor the connection's state can hide a row left behind).
void requireServedAs(CacheStore& store, const std::string& dir, const Clock& clock,
                     const std::vector<CacheItem>& items, const std::vector<CacheItem>& gone) {
  auto list = store.list("p", ListKind::Sites);
  REQUIRE(list);
  CHECK(list->count == items.size());
  CHECK(list->body->read().value() == joined(items));
  for (const auto& item : items) {
    CHECK(store.get("p", ListKind::Sites, item.id).value() == item.json);
    CHECK(store.get("p", ListKind::Sites, item.name).value() == item.json);
  }
  for (const auto& item : gone) {
    CHECK(store.get("p", ListKind::Sites, item.id).error().code == ErrorCode::NotFound);
  }
  auto reopened = openStore(dir, clock);
  auto fresh = reopened->list("p", ListKind::Sites);
  REQUIRE(fresh);
  CHECK(fresh->count == items.size());
  CHECK(fresh->body->read().value() == joined(items));
}

}  // namespace

TEST_CASE("CacheStore: a replace writes only the rows that changed", "[cache_store][replace]") {
  TempDir dir;
  FakeClock clock;
  auto store = openStore(dir.path(), clock);
  auto old = numbered(10);
  REQUIRE(store->replaceList("p", ListKind::Sites, old).value() == 10);

  SECTION("the same list: nothing written, the sync time still recorded") {
    const auto before = store->list("p", ListKind::Sites).value();
    clock.advance(std::chrono::minutes(5));
    REQUIRE(store->replaceList("p", ListKind::Sites, old).value() == 0);
    auto after = store->list("p", ListKind::Sites).value();
    CHECK(after.state.syncedAt == clock.now());
    CHECK(after.body->read().value() == before.body->read().value());
    requireServedAs(*store, dir.path(), clock, old, {});
  }
  SECTION("one item renamed in the middle: one row") {
    auto next = old;
    next[4] = makeItem("id-4", "renamed");
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 1);
    requireServedAs(*store, dir.path(), clock, next, {});
    CHECK(store->get("p", ListKind::Sites, "site4").error().code == ErrorCode::NotFound);
  }
  SECTION("only the JSON differs (a detail the API changed): one row") {
    auto next = old;
    next[5] = makeItem("id-5", "site5", "php 8.3");
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 1);
    requireServedAs(*store, dir.path(), clock, next, {});
  }
  SECTION("only a column beside the JSON differs: rewritten too") {
    auto next = old;
    next[2].siteId = "site-of-2";
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 1);
    requireServedAs(*store, dir.path(), clock, next, {});
  }
  SECTION("an item inserted near the front shifts the rest: rewritten from there") {
    auto next = old;
    next.insert(next.begin() + 2, makeItem("id-new", "newcomer"));
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 9);
    requireServedAs(*store, dir.path(), clock, next, {});
  }
  SECTION("an item removed: the rest move up, the last row goes") {
    auto next = old;
    next.erase(next.begin() + 7);
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 3);  // 7, 8 and row 9
    requireServedAs(*store, dir.path(), clock, next, {old[7]});
  }
  SECTION("two items swap places") {
    auto next = old;
    std::swap(next[1], next[8]);
    REQUIRE(store->replaceList("p", ListKind::Sites, next).value() == 2);
    requireServedAs(*store, dir.path(), clock, next, {});
  }
  SECTION("the list empties, then comes back whole") {
    REQUIRE(store->replaceList("p", ListKind::Sites, {}).value() == 10);
    requireServedAs(*store, dir.path(), clock, {}, old);
    REQUIRE(store->replaceList("p", ListKind::Sites, old).value() == 10);
    requireServedAs(*store, dir.path(), clock, old, {});
  }
  SECTION("another profile's rows are neither compared nor touched") {
    auto other = numbered(3);
    other[0] = makeItem("id-0", "other0");
    REQUIRE(store->replaceList("q", ListKind::Sites, other).value() == 3);
    REQUIRE(store->replaceList("p", ListKind::Sites, old).value() == 0);
    CHECK(store->get("q", ListKind::Sites, "id-0").value() == other[0].json);
    CHECK(store->list("q", ListKind::Sites)->count == 3);
  }
}

TEST_CASE("CacheStore: a replace that fails half-way through its changed rows keeps the old list",
          "[cache_store][replace]") {
  TempDir dir;
  FakeClock clock;
  auto store = openStore(dir.path(), clock);
  auto old = numbered(10);
  REQUIRE(store->replaceList("p", ListKind::Sites, old));
  auto broken = old;
  broken[3] = makeItem("id-3", "changed");
  broken[6] = makeItem("id-1", "a second id-1");  // unique in the profile: the insert fails
  auto replaced = store->replaceList("p", ListKind::Sites, broken);
  REQUIRE_FALSE(replaced);
  CHECK(replaced.error().message.find("UNIQUE") != std::string::npos);
  requireServedAs(*store, dir.path(), clock, old, {});
}

TEST_CASE("CacheStore: any sequence of edits reads back as the last list sent",
          "[cache_store][replace]") {
  TempDir dir;
  FakeClock clock;
  auto store = openStore(dir.path(), clock);
  std::mt19937 random(20261201);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(random); };
  std::vector<CacheItem> list = numbered(40);
  std::vector<CacheItem> everSeen = list;
  std::size_t nextId = 1000;
  for (int round = 0; round < 60; ++round) {
    const int edits = static_cast<int>(pick(4));
    for (int e = 0; e < edits; ++e) {
      switch (pick(4)) {
        case 0: {  // a new item somewhere
          auto item = makeItem("id-" + std::to_string(nextId), "site" + std::to_string(nextId));
          ++nextId;
          list.insert(list.begin() + static_cast<long>(pick(list.size())), item);
          everSeen.push_back(item);
          break;
        }
        case 1:  // an item gone
          if (!list.empty()) list.erase(list.begin() + static_cast<long>(pick(list.size() - 1)));
          break;
        case 2:  // an item's details changed
          if (!list.empty()) {
            auto& item = list[pick(list.size() - 1)];
            item = makeItem(item.id, item.name, "round " + std::to_string(round));
          }
          break;
        default:  // two items swap
          if (list.size() > 1) std::swap(list[pick(list.size() - 1)], list[pick(list.size() - 1)]);
      }
    }
    INFO("round " << round);
    REQUIRE(store->replaceList("p", ListKind::Sites, list));
    auto served = store->list("p", ListKind::Sites);
    REQUIRE(served);
    REQUIRE(served->body->read().value() == joined(list));
    for (const auto& item : everSeen) {
      const bool listed = std::any_of(list.begin(), list.end(),
                                      [&](const CacheItem& i) { return i.id == item.id; });
      auto got = store->get("p", ListKind::Sites, item.id);
      REQUIRE(static_cast<bool>(got) == listed);
    }
  }
  requireServedAs(*store, dir.path(), clock, list, {});
}
