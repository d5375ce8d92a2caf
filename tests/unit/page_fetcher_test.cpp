#include "daemon/sync/page_fetcher.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

#include "daemon/sync/raw_json.h"
#include "tests/unit/fake_authorizer.h"
#include "tests/unit/sync_stack.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

struct Fixture : SyncStack {
  FakeAuthorizer authorizer;
  TransportOptions options;

  Fixture() : SyncStack(2500) {
    api.attach(transport);
    options.profile = "work";
  }
  Result<std::vector<CacheItem>> fetch(ListKind kind = ListKind::Sites) {
    return fetcher.fetch("https://api.example.test/v1", kind, authorizer, options);
  }
};

}  // namespace

TEST_CASE("PageFetcher: 2,500 sites over 25 pages, at most 4 requests in flight, each once",
          "[page_fetcher]") {
  Fixture f;
  auto items = f.fetch();
  REQUIRE(items);
  REQUIRE(items->size() == 2500);
  CHECK(f.api.requests == 25);
  CHECK(f.api.maxInFlight_ <= 4);
  CHECK(f.api.maxInFlight_ >= 2);  // the pages really were fetched concurrently
  std::set<std::string> ids;
  for (std::size_t i = 0; i < items->size(); ++i) {
    ids.insert((*items)[i].id);
    CHECK((*items)[i].json == FakeWpeApi::itemJson("sites", i));  // in order, byte for byte
  }
  CHECK(ids.size() == 2500);
  CHECK((*items)[0].accountId == "acc-1");
  std::set<std::string> offsets;
  for (const auto& r : f.transport.requests()) {
    offsets.insert(r.url.substr(r.url.find("offset=")));
    CHECK(r.url.find("limit=100") != std::string::npos);
    REQUIRE(r.authorization);
    CHECK(r.authorization->reveal() == "Bearer token-1");
  }
  CHECK(offsets.size() == 25);
}

TEST_CASE("PageFetcher: a count that changes mid-walk fails the fetch", "[page_fetcher]") {
  Fixture f;
  f.api.countDrift = 1;
  auto items = f.fetch();
  REQUIRE_FALSE(items);
  CHECK(items.error().code == ErrorCode::UpstreamError);
  CHECK(items.error().message.find("changed while it was fetched") != std::string::npos);
}

TEST_CASE("PageFetcher: a 401 refreshes once and retries the page once", "[page_fetcher]") {
  Fixture f;
  f.api.setSize("sites", 50);
  SECTION("refreshable credential") {
    f.api.unauthorizedLeft = 1;
    auto items = f.fetch();
    REQUIRE(items);
    CHECK(items->size() == 50);
    CHECK(f.authorizer.unauthorizedCalls == 1);
    CHECK(f.api.requests == 2);
    CHECK(f.transport.requests().back().authorization->reveal() == "Bearer token-2");
  }
  SECTION("a static key that is rejected → login_required, no loop") {
    FakeAuthorizer staticKey(false);
    f.api.unauthorizedLeft = 100;
    auto items =
        f.fetcher.fetch("https://api.example.test/v1", ListKind::Sites, staticKey, f.options);
    REQUIRE_FALSE(items);
    CHECK(items.error().code == ErrorCode::LoginRequired);
    CHECK(staticKey.unauthorizedCalls == 1);
    CHECK(f.api.requests == 1);
  }
  SECTION("still 401 after the refresh → login_required after exactly two requests") {
    f.api.unauthorizedLeft = 100;
    auto items = f.fetch();
    REQUIRE_FALSE(items);
    CHECK(items.error().code == ErrorCode::LoginRequired);
    CHECK(f.api.requests == 2);
  }
}

TEST_CASE("PageFetcher: invalid lists are refused", "[page_fetcher]") {
  Fixture f;
  auto serve = [&](std::string body) {
    f.transport.setHandler([body](const HttpRequest&) { return FakeTransport::json(200, body); });
    return f.fetch();
  };
  CHECK_FALSE(serve(R"({"count":1,"results":[{"name":"no id"}]})"));
  CHECK_FALSE(serve(R"({"count":1,"results":[42]})"));
  CHECK_FALSE(serve(R"({"count":2,"results":[{"id":"a"},{"id":"a"}]})"));
  CHECK_FALSE(serve(R"({"count":3,"results":[{"id":"a"}]})"));
  CHECK_FALSE(serve(R"(<html>502</html>)"));
  CHECK_FALSE(serve(R"({"results":[]})"));
  auto empty = serve(R"({"count":0,"results":[]})");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("raw JSON: array elements are sliced byte for byte, whitespace outside strings dropped",
          "[page_fetcher]") {
  auto r = compactArrayElements(
      R"({"count": 2, "next": {"a": [1, "]"]}, "results": [ {"id": "x y", "n": 1.50e3, "u": "\u00e9\/"} , {"id":"b","t":[true,null]} ]})",
      "results");
  REQUIRE(r);
  REQUIRE(r->size() == 2);
  CHECK((*r)[0] == R"({"id":"x y","n":1.50e3,"u":"\u00e9\/"})");
  CHECK((*r)[1] == R"({"id":"b","t":[true,null]})");
  CHECK_FALSE(compactArrayElements(R"({"results": 5})", "results"));
  CHECK_FALSE(compactArrayElements(R"([1,2])", "results"));
}

namespace {

// A fetcher with small bounds over the same fake API, for the bound tests.
struct BoundedFixture : Fixture {
  PageFetcher bounded;
  explicit BoundedFixture(PageLimits limits)
      : bounded(client, Poco::Logger::get("test"), 4, limits) {}
  Result<std::vector<CacheItem>> fetchBounded() {
    return bounded.fetch("https://api.example.test/v1", ListKind::Sites, authorizer, options);
  }
};

void checkInOrder(const std::vector<CacheItem>& items, std::size_t n) {
  REQUIRE(items.size() == n);
  for (std::size_t i = 0; i < n; ++i) CHECK(items[i].json == FakeWpeApi::itemJson("sites", i));
}

}  // namespace

TEST_CASE("PageFetcher: a server that caps pages lower walks by its page size, concurrently",
          "[page_fetcher]") {
  Fixture f;
  f.api.setSize("sites", 230);
  f.api.pageCap = 7;
  auto items = f.fetch();
  REQUIRE(items);
  checkInOrder(*items, 230);
  CHECK(f.api.requests == 33);  // ceil(230 / 7), each page once
  CHECK(f.api.maxInFlight_ >= 2);
  std::set<std::string> offsets;
  for (const auto& r : f.transport.requests()) {
    const auto offset = std::stoul(r.url.substr(r.url.find("offset=") + 7));
    CHECK(offset % 7 == 0);
    offsets.insert(std::to_string(offset));
  }
  CHECK(offsets.size() == 33);
}

TEST_CASE("PageFetcher: irregular pages fall back to a sequential walk by what each page holds",
          "[page_fetcher]") {
  Fixture f;
  f.api.setSize("sites", 180);
  f.api.irregular = true;
  auto items = f.fetch();
  REQUIRE(items);
  checkInOrder(*items, 180);
  CHECK(f.api.requests < 180);
}

TEST_CASE("PageFetcher: an empty page before count is reached ends the walk with an error",
          "[page_fetcher]") {
  Fixture f;
  f.api.setSize("sites", 30);
  f.api.countExtra = 100;  // count 130, 30 items
  auto items = f.fetch();
  REQUIRE_FALSE(items);
  CHECK(items.error().code == ErrorCode::UpstreamError);
  CHECK(items.error().message.find("holds no items, but count says 130") != std::string::npos);
  CHECK(f.api.requests <= 5);
}

TEST_CASE("PageFetcher: a page past count is refused", "[page_fetcher]") {
  Fixture f;
  f.transport.setHandler([](const HttpRequest&) {
    return FakeTransport::json(200, R"({"count":1,"results":[{"id":"a"},{"id":"b"}]})");
  });
  auto items = f.fetch();
  REQUIRE_FALSE(items);
  CHECK(items.error().message.find("more than the 1 left") != std::string::npos);
}

TEST_CASE("PageFetcher: bounds on pages, requests and list size, each named in the error",
          "[page_fetcher]") {
  SECTION("a count that would need too many pages is refused after one request") {
    BoundedFixture f(PageLimits{});
    f.api.setSize("sites", 25);
    f.api.pageCap = 1;
    f.api.countExtra = 150000;
    auto items = f.fetchBounded();
    REQUIRE_FALSE(items);
    CHECK(items.error().message.find("more than the 2000 pages") != std::string::npos);
    CHECK(f.api.requests == 1);
  }
  SECTION("a page larger than the page bound") {
    BoundedFixture f(PageLimits{64 * 1024, 256u << 20, 2000});
    f.api.padBytes = 1000;  // 100 items of ~1 kB: ~100 kB a page
    auto items = f.fetchBounded();
    REQUIRE_FALSE(items);
    CHECK(items.error().message.find("is larger than 0 MiB (65536 bytes), the bound for one "
                                     "page") != std::string::npos);
  }
  SECTION("a list larger than the list bound") {
    BoundedFixture f(PageLimits{8u << 20, 1u << 20, 2000});
    f.api.padBytes = 1000;  // 2,500 items of ~1 kB: ~2.5 MB
    auto items = f.fetchBounded();
    REQUIRE_FALSE(items);
    CHECK(items.error().message.find("larger than 1 MiB (1048576 bytes of items)") !=
          std::string::npos);
  }
  SECTION("irregular pages that need more requests than the bound") {
    BoundedFixture f(PageLimits{8u << 20, 256u << 20, 20});
    f.api.setSize("sites", 60);
    f.api.irregular = true;  // 1..100 items a page; the first holds 4
    f.api.pageCap = 3;       // 1..3 a page: some 30 pages for 60 items
    auto items = f.fetchBounded();
    REQUIRE_FALSE(items);
    CHECK(items.error().message.find("more than the 20 pages") != std::string::npos);
    CHECK(f.api.requests <= 21);
  }
}

TEST_CASE("raw JSON: a list page is sliced in one pass, count and results", "[page_fetcher]") {
  auto r = sliceListPage(
      R"({"previous": null, "next": "x", "count": 2, "results": [ {"id": "a"} , {"id":"b"} ]} )");
  REQUIRE(r);
  REQUIRE(r->count);
  CHECK(*r->count == "2");
  REQUIRE(r->results);
  CHECK(r->results->size() == 2);
  CHECK((*r->results)[0] == R"({"id":"a"})");
  CHECK_FALSE(sliceListPage(R"({"count":1,"results":[]} trailing)"));
  CHECK_FALSE(sliceListPage(R"([1])"));
  auto none = sliceListPage(R"({"results": 5})");
  REQUIRE(none);
  CHECK_FALSE(none->results);
  CHECK_FALSE(none->count);
}

TEST_CASE("raw JSON: a page whose top-level member names repeat is refused by both readers",
          "[page_fetcher]") {
  // Found by fuzz_api_page: "results":0 then "results":[] was read by one reader and refused
  // by the other. A repeated name is now refused by both, whatever the values.
  const char* pages[] = {
      R"({"count":0,"results":0,"results":[]})",
      R"({"count":0,"results":[],"results":[]})",
      R"({"count":1,"count":0,"results":[]})",
      R"({"next":null,"results":[],"next":null,"count":0})",
      R"({"count":0,"results":[],"r\u0065sults":[]})",  // one name, two spellings
  };
  for (const char* page : pages) {
    INFO(page);
    CHECK_FALSE(sliceListPage(page));
    CHECK_FALSE(compactArrayElements(page, "results"));
  }
  // A name is read decoded, as any JSON reader reads it; a malformed escape is refused.
  auto escaped = sliceListPage(R"({"r\u0065sults":[{"id":"a"}],"c\u006Funt":1})");
  REQUIRE(escaped);
  REQUIRE(escaped->results);
  CHECK(escaped->results->size() == 1);
  CHECK(escaped->count == std::optional<std::string>("1"));
  CHECK_FALSE(sliceListPage(R"({"r\u00zzsults":[]})"));
  // Distinct names, the same values: both read it.
  CHECK(sliceListPage(R"({"count":0,"results":[],"next":null})"));
  CHECK(compactArrayElements(R"({"count":0,"results":[],"next":null})", "results"));
  CHECK_FALSE(compactArrayElements(R"({"results":[]} trailing)", "results"));
}

TEST_CASE("PageFetcher: lists walked side by side with one budget stay within it together",
          "[page_fetcher]") {
  Fixture f;
  f.api.setSize("installs", 2500);
  f.api.setSize("accounts", 900);
  InFlightBudget budget(8);
  std::vector<std::thread> walks;
  std::vector<std::size_t> sizes(3);
  const ListKind kinds[] = {ListKind::Sites, ListKind::Installs, ListKind::Accounts};
  for (std::size_t i = 0; i < 3; ++i) {
    walks.emplace_back([&, i] {
      auto items = f.fetcher.fetch("https://api.example.test/v1", kinds[i], f.authorizer,
                                   f.options, nullptr, &budget);
      sizes[i] = items ? items->size() : 0;
    });
  }
  for (auto& w : walks) w.join();
  CHECK(sizes == std::vector<std::size_t>{2500, 2500, 900});
  CHECK(f.api.requests == 25 + 25 + 9);
  CHECK(f.api.maxInFlight_ <= 8);
  CHECK(budget.maxInUse() <= 8);
  CHECK(f.api.maxInFlight_ > 4);  // more than one list's old share: the budget is shared
}
