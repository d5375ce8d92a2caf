#include "common/json_value.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/json_writer.h"
#include "common/profile_wire.h"
#include "common/wire.h"

using wpe::JsonValue;
using wpe::JsonWriter;

TEST_CASE("JsonValue: refuses what RFC 8259 does not allow", "[json]") {
  for (const char* bad :
       {"01",   "-",     "1.",     ".5",         "1e",        "+1",    "--1",
        "0x10", "1.e3",  "[1,]",   "{\"a\":1,}", "[,1]",      "tru",   "nulll",
        "'a'",  "{a:1}", "\"\t\"", "\"a\nb\"",   "\"\\x41\"", "[1 2]", "{\"a\":1 \"b\":2}",
        "\v1"}) {
    INFO(bad);
    CHECK_FALSE(JsonValue::parse(bad));
  }
  for (const char* good : {"0", "-0", "1.5e-3", "1E+2", "[]", "{}", "\"\"", " [ 1 , 2 ] "}) {
    INFO(good);
    CHECK(JsonValue::parse(good));
  }
}

TEST_CASE("JsonValue: strings must be UTF-8, escapes must not be lone surrogates", "[json]") {
  CHECK(JsonValue::parse("\"caf\xC3\xA9\""));
  for (const char* bad :
       {"\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xFF\"",
        "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\u12\""}) {
    INFO(bad);
    CHECK_FALSE(JsonValue::parse(bad));
  }
  auto pair = JsonValue::parse("\"\\ud83d\\ude00\\u0000\"");
  REQUIRE(pair);
  CHECK(pair->text() == std::string("\xF0\x9F\x98\x80\0", 5));
}

TEST_CASE("JsonValue: duplicate keys are refused, in small and large objects", "[json]") {
  CHECK_FALSE(JsonValue::parse(R"({"a":1,"b":2,"a":3})"));
  CHECK_FALSE(JsonValue::parse(R"({"results":[],"results":[1]})"));
  CHECK_FALSE(JsonValue::parse(R"({"x":{"k":1,"k":1}})"));
  CHECK(JsonValue::parse(R"({"a":{"a":1},"b":{"a":2}})"));  // the same key in two objects
  std::string wide = "{";
  for (int i = 0; i < 1000; ++i) wide += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  CHECK(JsonValue::parse(wide + "}"));
  CHECK_FALSE(JsonValue::parse(wide + ",\"k500\":1}"));
}

TEST_CASE("JsonValue: nesting and size are bounded", "[json]") {
  const int limit = JsonValue::kMaxDepth;
  CHECK(JsonValue::parse(std::string(limit + 1, '[') + std::string(limit + 1, ']')));
  CHECK_FALSE(JsonValue::parse(std::string(limit + 2, '[') + std::string(limit + 2, ']')));
  CHECK_FALSE(JsonValue::parse(std::string(100000, '[')));
  std::string huge(JsonValue::kMaxBytes + 1, ' ');
  huge[0] = '0';
  CHECK_FALSE(JsonValue::parse(huge));
}

TEST_CASE("JsonValue: integers, members in order, and moving a member out", "[json]") {
  auto doc = JsonValue::parse(R"({"n":42,"neg":-7,"f":1.5,"e":1e3,"big":99999999999999999999,)"
                              R"("s":"3","list":[1,2,3]})");
  REQUIRE(doc);
  CHECK((*doc)["n"].integer() == 42);
  CHECK((*doc)["neg"].integer() == -7);
  CHECK_FALSE((*doc)["f"].integer());
  CHECK_FALSE((*doc)["e"].integer());
  CHECK_FALSE((*doc)["big"].integer());
  CHECK_FALSE((*doc)["s"].integer());
  CHECK(doc->members().front().first == "n");
  JsonValue list = doc->take("list");
  CHECK(list.items().size() == 3);
  CHECK((*doc)["list"].isNull());
  CHECK(doc->take("absent").isNull());
}

TEST_CASE("JsonWriter: commas, nesting, null for empty, raw splices", "[json]") {
  JsonWriter w;
  w.beginObject();
  w.key("a").string("x\"y");
  w.key("b").beginArray().number(-1).unsignedNumber(2).boolean(false).null().endArray();
  w.key("c").stringOrNull("");
  w.key("d").raw(R"({"k":[]})");
  w.key("e").beginObject().endObject();
  w.endObject();
  const std::string text = w.take();
  CHECK(text == R"({"a":"x\"y","b":[-1,2,false,null],"c":null,"d":{"k":[]},"e":{}})");
  CHECK(JsonValue::parse(text));
  CHECK(w.take().empty());
}

TEST_CASE("Wire: the small replies keep their bytes", "[json][wire]") {
  CHECK(wpe::pingReplyToJson() == R"({"ok":true})");
  CHECK(wpe::shutdownReplyToJson() == R"({"stopping":true})");
  CHECK(wpe::reloadReplyToJson({"/c/config.toml", 2}) ==
        R"({"reloaded":true,"config":"/c/config.toml","profiles":2})");
  CHECK(wpe::logoutReplyToJson({"p"}) == R"({"profile":"p","state":"logged_out"})");
  CHECK(wpe::loginReplyToJson({"p", "api_key", R"({"id":"u"})"}) ==
        R"({"profile":"p","state":"ready","credential":"api_key","user":{"id":"u"}})");
  CHECK(wpe::loginReplyToJson({"p", "basic", ""}) ==
        R"({"profile":"p","state":"ready","credential":"basic","user":null})");
  wpe::SyncReply sync{"p",
                      {{"sites", 3, "2026-01-01T00:00:00Z", false}, {"installs", 0, "", true}}};
  CHECK(wpe::syncReplyToJson(sync) ==
        R"({"profile":"p","sites":{"count":3,"synced_at":"2026-01-01T00:00:00Z","stale":false},)"
        R"("installs":{"count":0,"synced_at":null,"stale":true}})");
  CHECK(wpe::loginStartedToJson({"id1", "https://x/a", "2026-01-01T00:00:00Z"}) ==
        R"({"authorize_url":"https://x/a","expires_at":"2026-01-01T00:00:00Z","login_id":"id1"})");
}

TEST_CASE("Wire: a list reply is read with its head and its results", "[json][wire]") {
  auto reply = wpe::listReplyFromJson(
      R"({"synced_at":"2026-01-01T00:00:00Z","stale":true,"syncing":false,)"
      R"("last_error":"HTTP 503","count":2,"results":[{"id":"a"},{"id":"b"}]})");
  REQUIRE(reply);
  CHECK(reply->head.syncedAt == "2026-01-01T00:00:00Z");
  CHECK(reply->head.stale);
  CHECK(reply->head.lastError == "HTTP 503");
  CHECK(reply->hasCount);
  CHECK(reply->head.count == 2);
  CHECK(reply->results.items().size() == 2);
  CHECK_FALSE(wpe::listReplyFromJson(R"({"count":1})"));
  CHECK_FALSE(wpe::listReplyFromJson(R"({"results":[],"results":[]})"));
}
