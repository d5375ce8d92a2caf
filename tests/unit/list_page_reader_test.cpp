#include "daemon/sync/list_page_reader.h"

#include <catch2/catch.hpp>
#include <string>

using namespace wpe;

namespace {

Result<ListPage> read(const std::string& body) { return readListPage(body); }

bool refused(const std::string& body) { return !read(body).ok(); }

std::string page(const std::string& results, const std::string& count = "1") {
  return R"({"count":)" + count + R"(,"results":[)" + results + "]}";
}

}  // namespace

TEST_CASE("readListPage: items, their ids and names, nested ids, and compact JSON",
          "[list_page_reader]") {
  auto r = read(
      "{ \"previous\" : null, \"count\" : 2 ,\n \"results\" : [ { \"id\" : \"s-1\", \"name\" : "
      "\"a b\", \"account\" : { \"id\" : \"acc-1\" }, \"tags\": [1, 2.5e-3, true] } ,\n"
      "{\"id\":\"s-2\",\"site\":{\"id\":\"s-1\",\"x\":{}},\"name\":7} ], \"next\": null }");
  REQUIRE(r);
  CHECK(*r->count == "2");
  REQUIRE(r->items.size() == 2);
  const auto& a = r->items[0];
  CHECK(a.id == "s-1");
  CHECK(a.name == "a b");
  CHECK(a.accountId == "acc-1");
  CHECK(a.siteId.empty());
  // Whitespace outside strings goes, inside strings stays: raw_json's compact form.
  CHECK(a.json == R"({"id":"s-1","name":"a b","account":{"id":"acc-1"},"tags":[1,2.5e-3,true]})");
  const auto& b = r->items[1];
  CHECK(b.name.empty());  // not a string: no name, as before
  CHECK(b.siteId == "s-1");
  CHECK(b.json == R"({"id":"s-2","site":{"id":"s-1","x":{}},"name":7})");
  CHECK(r->itemBytes == a.json.size() + b.json.size());
}

TEST_CASE("readListPage: escapes are decoded in the values read and kept in the JSON stored",
          "[list_page_reader]") {
  auto r = read(
      page(R"({"\u0069d":"caf\u00e9 \ud83d\ude00\n","name":"\"q\"\/","account":{"id":"a\\b"}})"));
  REQUIRE(r);
  REQUIRE(r->items.size() == 1);
  CHECK(r->items[0].id == "caf\xc3\xa9 \xf0\x9f\x98\x80\n");
  CHECK(r->items[0].name == "\"q\"/");
  CHECK(r->items[0].accountId == "a\\b");
  CHECK(r->items[0].json ==
        R"({"\u0069d":"caf\u00e9 \ud83d\ude00\n","name":"\"q\"\/","account":{"id":"a\\b"}})");
}

TEST_CASE("readListPage: refuses every page the reader before it refused", "[list_page_reader]") {
  // Not JSON, not one object, trailing bytes, no results array, no count.
  CHECK(refused("<html>502</html>"));
  CHECK(refused("[1]"));
  CHECK(refused(page(R"({"id":"a"})") + " trailing"));
  CHECK(refused(R"({"count":1,"results":5})"));
  CHECK(refused(R"({"count":1})"));
  CHECK(refused(R"({"results":[]})"));
  // Top-level names that repeat, results twice included.
  CHECK(refused(R"({"count":0,"count":0,"results":[]})"));
  CHECK(refused(R"({"count":0,"results":[],"results":[]})"));
  // The same name in two spellings: compared decoded (a fuzz finding: \u escapes whose hex
  // differs only in case).
  CHECK(refused(R"({"next\uc0d0":null,"next\uc0D0":null,"count":0,"results":[]})"));
  CHECK(refused(R"({"count":0,"c\u006funt":0,"results":[]})"));
  // Items: not an object, no id, an id not a string or empty.
  CHECK(refused(page("42")));
  CHECK(refused(page(R"(["id"])")));
  CHECK(refused(page(R"({"name":"no id"})")));
  CHECK(refused(page(R"({"id":5})")));
  CHECK(refused(page(R"({"id":""})")));
  CHECK(refused(page(R"({"id":null})")));
  // Malformed JSON inside an item (POCO refused each).
  CHECK(refused(page(R"({"id":"a",})")));
  CHECK(refused(page(R"({"id":"a" "b":1})")));
  CHECK(refused(page(R"({"id":"a","b":tru})")));
  CHECK(refused(page(R"({"id":"a","b":01})")));
  CHECK(refused(page(R"({"id":"a","b":1.})")));
  CHECK(refused(page(R"({"id":"a","b":-})")));
  CHECK(refused(page(R"({"id":"a","b":[1,]})")));
  CHECK(refused(page(R"({"id":"a","b":"\x"})")));
  CHECK(refused(page(R"({"id":"a","b":"\u12"})")));
  CHECK(refused(page("{\"id\":\"a\",\"b\":\"tab\tinside\"}")));
  CHECK(refused(page(R"({"id":"a")")));
  CHECK(refused(page(R"({'id':'a'})")));
  CHECK(refused(page(R"({"id":"a"}/*c*/)")));
  // The message says why, by the item's index.
  auto noId = read(page(R"({"id":"a"},{"name":"x"})", "2"));
  REQUIRE_FALSE(noId);
  CHECK(noId.error().message == "result 1 has no string id");
  auto scalar = read(page("3"));
  REQUIRE_FALSE(scalar);
  CHECK(scalar.error().message == "result 0 is not an object");
}

TEST_CASE("readListPage: refuses what could be read two ways, and malformed text or UTF-8",
          "[list_page_reader]") {
  // A member the sync reads, twice in one item (POCO kept the last; refused now).
  CHECK(refused(page(R"({"id":"a","id":"b"})")));
  CHECK(refused(page(R"({"id":"a","\u0069d":"b"})")));
  CHECK(refused(page(R"({"id":"a","name":"x","name":"y"})")));
  CHECK(refused(page(R"({"id":"a","account":{"id":"1","id":"2"}})")));
  CHECK(refused(page(R"({"id":"a","site":{"id":"1"},"site":null})")));
  // Lone surrogates, invalid UTF-8, control characters, whitespace JSON does not know.
  CHECK(refused(page(R"({"id":"\ud800"})")));
  CHECK(refused(page(R"({"id":"\udc00x"})")));
  CHECK(refused(page("{\"id\":\"\xff\"}")));
  CHECK(refused(page("{\"id\":\"\xc0\xaf\"}")));
  CHECK(refused(page("{\"id\":\"a\"}\f")));
  CHECK(refused(page(std::string("{\"id\":\"a\x01\"}"))));
  // Numbers POCO could not hold: refused; the largest it could, and underflow, accepted.
  CHECK(refused(page(R"({"id":"a","n":18446744073709551616})")));
  CHECK(refused(page(R"({"id":"a","n":-9223372036854775809})")));
  CHECK(refused(page(R"({"id":"a","n":123456789012345678901234567890})")));
  CHECK(refused(page(R"({"id":"a","n":1e309})")));
  CHECK(refused(page(R"({"id":"a","n":-1.8e308})")));
  CHECK_FALSE(refused(page(R"({"id":"a","n":18446744073709551615,"m":-9223372036854775808})")));
  CHECK_FALSE(refused(page(R"({"id":"a","n":1e-400,"m":1.7976931348623157e308,"z":-0})")));
  // Nesting past the bound.
  std::string deep = R"({"id":"a","x":)" + std::string(kMaxListPageDepth, '[') +
                     std::string(kMaxListPageDepth, ']') + "}";
  CHECK(refused(page(deep)));
  // An item nested 128 deep (POCO's bound) is read; one more level is refused.
  std::string fine = R"({"id":"a","x":)" + std::string(127, '[') + std::string(127, ']') + "}";
  CHECK(refused(page(R"({"id":"a","x":)" + std::string(128, '[') + std::string(128, ']') + "}")));
  CHECK_FALSE(refused(page(fine)));
  // Repeats elsewhere are stored as sent, as before.
  CHECK_FALSE(refused(page(R"({"id":"a","x":1,"x":2})")));
}
