#include "daemon/cache/list_body.h"

#include <Poco/Logger.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "daemon/cache/cache_store.h"
#include "tests/unit/fakes.h"
#include "tests/unit/temp_dir.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

std::function<bool(const ListBody::Sink&)> pieces(std::vector<std::string> parts) {
  return [parts](const ListBody::Sink& sink) {
    for (const auto& p : parts) {
      if (!sink(p)) return false;
    }
    return true;
  };
}

std::vector<CacheItem> items(std::size_t n, const std::string& prefix) {
  std::vector<CacheItem> out;
  for (std::size_t i = 0; i < n; ++i) {
    CacheItem item;
    item.id = prefix + std::to_string(i);
    item.name = item.id;
    item.json = R"({"id":")" + item.id + R"(","pad":")" + std::string(300, 'x') + R"("})";
    out.push_back(item);
  }
  return out;
}

std::string joined(const std::vector<CacheItem>& list) {
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + list[i].json;
  return out + "]";
}

std::size_t entries(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("ListBody: the text goes to an unnamed 0600 file in the directory", "[list_body]") {
  TempDir dir;
  const std::string big(1 << 20, 'a');  // beyond the write buffer: written straight through
  auto body = ListBody::build(dir.path(), pieces({"[", big, ",", "\"b\"", "]"}));
  REQUIRE(body);
  CHECK(body->fd() >= 0);
  CHECK(body->size() == big.size() + 6);
  CHECK(body->read().value() == "[" + big + ",\"b\"]");
  CHECK(entries(dir.path()) == 0);  // no name left behind, ever
  struct stat st {};
  REQUIRE(::fstat(body->fd(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_uid == ::geteuid());
  CHECK(st.st_nlink == 0);
}

TEST_CASE("ListBody: a refused directory keeps the text in memory", "[list_body]") {
  TempDir dir;
  SECTION("missing") {
    auto body = ListBody::build(dir.path() + "/missing", pieces({"[", "1", "]"}));
    REQUIRE(body);
    CHECK(body->fd() == -1);
    CHECK(body->text() == "[1]");
  }
  SECTION("a symlink to a directory is not followed") {
    std::filesystem::create_directory(dir.path() + "/real");
    std::filesystem::create_directory_symlink(dir.path() + "/real", dir.path() + "/link");
    auto body = ListBody::build(dir.path() + "/link", pieces({"[]"}));
    REQUIRE(body);
    CHECK(body->fd() == -1);
    CHECK(body->read().value() == "[]");
  }
}

TEST_CASE("ListBody: a producer that gives up makes no body", "[list_body]") {
  TempDir dir;
  CHECK_FALSE(ListBody::build(dir.path(), [](const ListBody::Sink& sink) {
    sink("[");
    return false;
  }));
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("CacheStore: a list is served from a reply file that follows every commit",
          "[cache_store][list_body]") {
  TempDir dir;
  FakeClock clock;
  const std::string cacheDir = dir.path() + "/wped";
  auto store = CacheStore::open(cacheDir, clock, Poco::Logger::get("test")).value();
  const auto first = items(50, "a");
  REQUIRE(store->replaceList("p", ListKind::Sites, first));
  auto before = store->list("p", ListKind::Sites).value();
  REQUIRE(before.body);
  CHECK(before.body->fd() >= 0);
  CHECK(before.count == 50);
  CHECK(before.body->read().value() == joined(first));
  // Reads share the one body: nothing is copied per request.
  CHECK(store->list("p", ListKind::Sites).value().body == before.body);

  SECTION("a new list: a new body; a reply still sending the old one keeps it whole") {
    const auto second = items(7, "b");
    REQUIRE(store->replaceList("p", ListKind::Sites, second));
    auto after = store->list("p", ListKind::Sites).value();
    CHECK(after.body != before.body);
    CHECK(after.count == 7);
    CHECK(after.body->read().value() == joined(second));
    CHECK(before.body->read().value() == joined(first));
  }
  SECTION("after a restart (or kill -9) it is built again from the committed rows") {
    store.reset();
    store = CacheStore::open(cacheDir, clock, Poco::Logger::get("test")).value();
    auto again = store->list("p", ListKind::Sites).value();
    CHECK(again.body->fd() >= 0);
    CHECK(again.count == 50);
    CHECK(again.body->read().value() == joined(first));
  }
  SECTION("a failed replace keeps serving the committed list") {
    auto broken = items(10, "c");
    broken[5].id = broken[2].id;  // the unique index fails half-way through
    REQUIRE_FALSE(store->replaceList("p", ListKind::Sites, broken));
    auto after = store->list("p", ListKind::Sites).value();
    CHECK(after.body->read().value() == joined(first));
    CHECK(after.count == 50);
  }
  SECTION("a dropped profile has no body left") {
    REQUIRE(store->dropProfile("p"));
    auto dropped = store->list("p", ListKind::Sites).value();
    CHECK(dropped.body->read().value() == "[]");
    CHECK(dropped.count == 0);
  }
  // Only the database in the directory: the bodies have no names.
  for (auto& e : std::filesystem::directory_iterator(cacheDir)) {
    CHECK(e.path().filename().string().rfind("cache.db", 0) == 0);
  }
}
