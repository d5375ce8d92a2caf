// One page of the WP Engine API's sites/installs/accounts lists, as the sync reads it:
// daemon/sync/raw_json (the raw slices stored in the cache) and PageFetcher's page validation,
// driven through PageFetcher::fetch over a fake transport that answers page 1 with the input.
// Invariants: never throws; when the body is one strict JSON text (common/json_value) and POCO
// reads it as an object with a "results" array, compactArrayElements finds the same number of
// elements and each slice is valid JSON on its own; a fetched list has unique, non-empty ids and each item's JSON is one of the slices; and
// the streaming reader (daemon/sync/list_page_reader) accepts no page the reader before it
// (raw_json's slicer, then POCO's parser per item) refused, and reads every page it accepts
// the same way: same ids, names, nested ids and JSON text.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "common/json_value.h"
#include "daemon/sync/page_fetcher.h"
#include "daemon/sync/raw_json.h"
#include "daemon/upstream/retry_policy.h"
#include "daemon/upstream/upstream_client.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/unit/fake_authorizer.h"
#include "tests/unit/fakes.h"
#include "tests/unit/quiet_logger.h"
#include "tests/unit/recording_sleeper.h"

namespace {

// POCO's tree, noting whether a name repeats among the top-level object's members (POCO keeps
// the last of them; daemon/sync/raw_json refuses such a page).
class TopLevelNames : public Poco::JSON::ParseHandler {
 public:
  void startObject() override {
    ++depth_;
    ParseHandler::startObject();
  }
  void endObject() override {
    --depth_;
    ParseHandler::endObject();
  }
  void key(const std::string& name) override {
    if (depth_ == 1 && !names_.insert(name).second) repeated_ = true;
    ParseHandler::key(name);
  }
  bool repeated() const { return repeated_; }

 private:
  int depth_ = 0;
  std::set<std::string> names_;
  bool repeated_ = false;
};

// Returns whether the page claims more than one page's worth of items (POCO's reading).
bool checkSlices(const std::string& body) {
  Poco::JSON::Array::Ptr results;
  bool morePages = false;
  bool repeated = false;
  try {
    Poco::JSON::Parser parser(new TopLevelNames);
    auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    repeated = parser.getHandler().cast<TopLevelNames>()->repeated();
    if (root && root->has("results")) results = root->getArray("results");
    if (root && root->has("count") && root->get("count").isInteger()) {
      morePages =
          root->getValue<long long>("count") > static_cast<long long>(wpe::PageFetcher::kPageSize);
    }
  } catch (const std::exception&) {
  }
  auto slices = wpe::compactArrayElements(body, "results");
  if (!results) return morePages;  // not a page POCO reads: the slicer's answer is unused
  // POCO's parser is lenient about the text around a value (it stops at a NUL, it reads one
  // value and leaves what follows); the slicer refuses anything that is not exactly one JSON
  // text (RFC 8259), as it should. So POCO's reading is the reference only for bodies the
  // strict reader of common/json_value takes as one JSON text. A repeated member name: RFC
  // 8259 leaves duplicate names to the reader; POCO keeps the last, the strict reader and
  // daemon/sync/raw_json refuse the page (checked below: such a page is never fetched).
  if (!wpe::JsonValue::parse(body)) {
    FUZZ_CHECK(!repeated || !slices.ok(),
               "a page with a repeated member name that the slicer reads");
    return morePages;
  }
  FUZZ_CHECK(slices.ok(), "POCO reads a results array that compactArrayElements refuses");
  FUZZ_CHECK(slices->size() == results->size(), "a different number of results");
  for (std::size_t i = 0; i < slices->size(); ++i) {
    // Objects only: POCO does not parse a bare scalar such as "x" on its own, and parsePage
    // refuses non-object results anyway.
    if (!results->isObject(i)) continue;
    try {
      Poco::JSON::Parser parser;
      parser.parse((*slices)[i]);
    } catch (const std::exception&) {
      FUZZ_CHECK(false, "an object result whose slice is not JSON on its own");
    }
  }
  return morePages;
}

// The reader PageFetcher used before readListPage: the slices, then POCO's object per item.
// nullopt where it refused the page.
std::optional<std::vector<wpe::CacheItem>> referenceRead(const std::string& body) {
  auto slices = wpe::sliceListPage(body);
  if (!slices || !slices->results || !slices->count) return std::nullopt;
  auto nestedId = [](const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object->has(key)) return std::string();
    auto inner = object->getObject(key);
    if (!inner || !inner->has("id") || !inner->get("id").isString()) return std::string();
    return inner->getValue<std::string>("id");
  };
  std::vector<wpe::CacheItem> items;
  for (auto& raw : *slices->results) {
    Poco::JSON::Object::Ptr object;
    try {
      Poco::JSON::Parser parser;
      object = parser.parse(raw).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (!object || !object->has("id") || !object->get("id").isString() ||
        object->getValue<std::string>("id").empty()) {
      return std::nullopt;
    }
    wpe::CacheItem item;
    item.id = object->getValue<std::string>("id");
    if (object->has("name") && object->get("name").isString()) {
      item.name = object->getValue<std::string>("name");
    }
    item.accountId = nestedId(object, "account");
    item.siteId = nestedId(object, "site");
    item.json = raw;
    items.push_back(std::move(item));
  }
  return items;
}

struct Stack {
  wpe::testing::FakeTransport transport;
  wpe::testing::FakeClock clock;
  wpe::testing::RecordingSleeper sleeper;
  wpe::RetryPolicy policy{{}, [] { return 0.0; }};
  wpe::UpstreamClient client{transport, policy, sleeper, clock, wpe::test::quietLogger()};
  wpe::PageFetcher fetcher{client, wpe::test::quietLogger(), 1};
  wpe::testing::FakeAuthorizer authorizer;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<wpe::ListKind>(data[0] % 3);
  const std::string body(wpe::fuzz::bytes(data + 1, size - 1));
  // A count past one page makes fetch() start a worker thread per input, and libFuzzer's
  // per-input leak check then runs on every input (100x slower); page 1 is parsed and
  // validated before any worker starts, so such inputs add nothing past this point.
  if (checkSlices(body)) return 0;

  // A fresh stack per input: FakeTransport keeps every request, and memory kept from one input
  // to the next makes libFuzzer run a leak check after each.
  auto stack = std::make_unique<Stack>();
  stack->transport.setHandler([&body](const wpe::HttpRequest& request) {
    // Page 1 is the input; a later page is a 404, which ends the fetch at once.
    if (request.url.find("offset=0") != std::string::npos) {
      return wpe::Result<wpe::HttpResponse>(wpe::testing::FakeTransport::json(200, body));
    }
    return wpe::Result<wpe::HttpResponse>(wpe::testing::FakeTransport::json(404, "{}"));
  });
  wpe::TransportOptions options;
  options.profile = "fuzz";
  auto items =
      stack->fetcher.fetch("https://api.example.test/v1", kind, stack->authorizer, options);
  if (!items) return 0;
  auto slices = wpe::compactArrayElements(body, "results");
  FUZZ_CHECK(slices.ok(), "a fetched list whose body the slicer refuses");
  const auto reference = referenceRead(body);
  FUZZ_CHECK(reference.has_value(), "the streaming reader accepts a page the old reader refused");
  FUZZ_CHECK(reference->size() == items->size(), "the two readers read a different item count");
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& mine = (*items)[i];
    const auto& theirs = (*reference)[i];
    FUZZ_CHECK(mine.id == theirs.id && mine.name == theirs.name &&
                   mine.accountId == theirs.accountId && mine.siteId == theirs.siteId &&
                   mine.json == theirs.json,
               "the two readers read an item differently");
  }
  std::set<std::string> ids;
  std::set<std::string> sliceSet(slices->begin(), slices->end());
  for (const auto& item : *items) {
    FUZZ_CHECK(!item.id.empty(), "an item without an id");
    FUZZ_CHECK(ids.insert(item.id).second, "two items with one id");
    FUZZ_CHECK(sliceSet.count(item.json) == 1, "an item's JSON is not one of the slices");
  }
  return 0;
}
