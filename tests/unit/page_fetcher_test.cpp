#include "daemon/sync/page_fetcher.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <set>

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
