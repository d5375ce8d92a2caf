#include <catch2/catch.hpp>

#include "common/json_value.h"
#include "common/unix_http_client.h"
#include "ctl/api_reply.h"
#include "ctl/progress_notice.h"
#include "ctl/relative_time.h"
#include "ctl/reply_views.h"

using namespace wpe::ctl;
using wpe::JsonValue;

namespace {

const char* kSites =
    R"({"synced_at":"2026-11-28T09:00:00Z","stale":true,"syncing":false,"last_error":"HTTP 503 from the API",)"
    R"("count":2,"results":[)"
    R"({"id":"s1","name":"blog","account":{"id":"a1"},"installs":[{"id":"i1","name":"blogprod","environment":"production","cname":"blog.wpengine.com"},{"id":"i2","name":"blogstg","environment":"staging"}]},)"
    R"({"id":"s2","name":"shop","account":{"id":"a2"},"installs":[]}]})";

}  // namespace

TEST_CASE(
    "ReplyViews: the sites table lists installs as name (environment) and account names when known",
    "[ctl][views]") {
  auto view = listView("sites", kSites, {{"a1", "Acme"}});
  REQUIRE(view);
  CHECK(view->count == 2);
  std::string table = view->table.render(200);
  CHECK_THAT(table, Catch::StartsWith("NAME  ID  ACCOUNT  INSTALLS\n"));
  CHECK_THAT(table,
             Catch::Contains("blog  s1  Acme     blogprod (production), blogstg (staging)\n"));
  CHECK_THAT(table, Catch::Contains("shop  s2  a2\n"));
}

TEST_CASE("ReplyViews: the installs and accounts tables have their own columns", "[ctl][views]") {
  auto installs = listView(
      "installs",
      R"({"synced_at":null,"stale":false,"count":1,"results":[)"
      R"({"id":"i1","name":"blogprod","environment":"production","cname":"c.wpengine.com",)"
      R"("primary_domain":"blog.example","site":{"id":"s1"}}]})");
  REQUIRE(installs);
  CHECK_THAT(installs->table.render(200),
             Catch::Contains("blogprod  production   blog.example  s1    i1"));
  auto accounts = listView(
      "accounts", R"({"count":1,"results":[{"id":"a1","name":"acme","nickname":"Acme Inc"}]})");
  REQUIRE(accounts);
  CHECK(accounts->table.render(200) == "NAME  NICKNAME  ID\nacme  Acme Inc  a1\n");
  CHECK(accountNames(R"({"results":[{"id":"a1","name":"acme"}]})").at("a1") == "acme");
  CHECK(accountNames("garbage").empty());
  CHECK_FALSE(listView("sites", "{\"results\":"));
}

TEST_CASE("ReplyViews: the footer says how many, how old and why stale", "[ctl][views]") {
  auto view = listView("sites", kSites);
  REQUIRE(view);
  auto now = *parseRfc3339Seconds("2026-11-28T09:03:10Z");
  CHECK(listFooter(*view, "sites", now) ==
        "2 sites, synced 3 min ago (stale: HTTP 503 from the API)");
  view->stale = false;
  view->count = 1;
  CHECK(listFooter(*view, "sites", now) == "1 site, synced 3 min ago");
  view->syncedAt.clear();
  CHECK(listFooter(*view, "sites", now) == "1 site, never synced");
}

TEST_CASE("ReplyViews: who is logged in reads the API's user object", "[ctl][views]") {
  CHECK(userSummary(R"({"user":{"email":"a@b.c","first_name":"Ada","last_name":"L"}})").value() ==
        "a@b.c (Ada L)");
  CHECK(userSummary(R"({"id":"u","email":"a@b.c"})").value() == "a@b.c");
  CHECK(userSummary(R"({"user":null})").value().empty());
  CHECK_FALSE(userSummary("nope"));
}

TEST_CASE("ReplyViews: a site's detail block shows its installs", "[ctl][views]") {
  auto text = siteDetail(R"({"id":"s1","name":"blog","account":{"id":"a1"},"tags":["x","y"],)"
                         R"("installs":[{"id":"i1","name":"blogprod","environment":"production",)"
                         R"("cname":"blog.wpengine.com","php_version":"8.2"}]})",
                         100);
  REQUIRE(text);
  CHECK_THAT(*text, Catch::StartsWith("blog\n  id:       s1\n  account:  a1\n  tags:     x, y\n"));
  CHECK_THAT(*text, Catch::Contains("  blogprod  production   blog.wpengine.com  8.2  i1\n"));
}

TEST_CASE("ApiReply: api paths lose their leading slash and keep the query", "[ctl][api]") {
  CHECK(apiPath("/sites?limit=5").value() == "sites?limit=5");
  CHECK(apiPath("installs/x").value() == "installs/x");
  CHECK_FALSE(apiPath("/"));
  CHECK_FALSE(apiPath("https://api.wpengineapi.com/v1/sites"));
  CHECK_FALSE(apiPath("/sites two"));
}

TEST_CASE("ApiReply: wped's own errors are told apart from the API's answers", "[ctl][api]") {
  wpe::HttpReply reply;
  reply.status = 502;
  reply.body = R"({"error":{"code":"upstream_unreachable","message":"cannot reach the API"}})";
  CHECK(isWpedError(reply));
  reply.status = 401;
  reply.body = R"({"error":{"code":"login_required","message":"run wpectl login"}})";
  CHECK(isWpedError(reply));
  reply.body = R"({"message":"Bad Credentials"})";
  CHECK_FALSE(isWpedError(reply));
  reply.status = 404;
  reply.body = "Not Found";
  CHECK_FALSE(isWpedError(reply));
  reply.status = 200;
  reply.body = R"({"error":{"code":"internal","message":"x"}})";
  CHECK_FALSE(isWpedError(reply));
}

TEST_CASE("ProgressNotice: shows only when the wait outlasts its delay", "[ctl][progress]") {
  Output quick;
  {
    ProgressNotice notice(quick, "Syncing", std::chrono::hours(1));
    notice.start();
    notice.stop();
    CHECK_FALSE(notice.shown());
  }
  CHECK(quick.text().empty());
  Output slow;
  ProgressNotice notice(slow, "Syncing", std::chrono::milliseconds(0));
  notice.start();
  notice.waitUntilSettled();
  CHECK(notice.shown());
  notice.stop();
  CHECK(slow.text().rfind("Syncing", 0) == 0);
  CHECK_FALSE(notice.shown());
}

TEST_CASE("JsonValue: reads the list JSON the daemon and the API send", "[ctl][json]") {
  auto doc = JsonValue::parse(R"( {"a":"x\"y\\z\/\n","n":-1.5e3,"t":true,"f":false,"z":null,)"
                              R"("u":"caf\u00e9 \ud83d\ude00","arr":[1,[2],{"k":[]}],"o":{}} )");
  REQUIRE(doc);
  CHECK((*doc)["a"].text() == "x\"y\\z/\n");
  CHECK((*doc)["n"].text() == "-1.5e3");
  CHECK((*doc)["t"].boolean());
  CHECK_FALSE((*doc)["f"].boolean());
  CHECK((*doc)["z"].isNull());
  CHECK((*doc)["u"].text() == "caf\xC3\xA9 \xF0\x9F\x98\x80");
  CHECK((*doc)["arr"].items().size() == 3);
  CHECK((*doc)["arr"].items()[2]["k"].isArray());
  CHECK((*doc)["missing"]["deeper"].text().empty());
  for (const char* bad :
       {"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"open", "[1] x", "{\"a\":\"\\q\"}", "nul"}) {
    INFO(bad);
    CHECK_FALSE(JsonValue::parse(bad));
  }
  CHECK_FALSE(JsonValue::parse(std::string(100, '[') + std::string(100, ']')));
  CHECK(JsonValue::parse(std::string(50, '[') + std::string(50, ']')));
}

TEST_CASE("ReplyViews: a site's details show the API's control characters escaped",
          "[ctl][views]") {
  auto text =
      siteDetail(R"({"id":"s1","name":"a\u001b[2Jb\u202e","group_name":"g\u0007",)"
                 R"("installs":[{"name":"x\u009by","environment":"production","id":"i1"}]})",
                 100);
  REQUIRE(text);
  CHECK(text->find('\x1b') == std::string::npos);
  CHECK(text->find('\x07') == std::string::npos);
  CHECK(text->find("\xE2\x80\xAE") == std::string::npos);
  CHECK_THAT(*text, Catch::StartsWith("a\\x1b[2Jb\\u202e\n"));
  CHECK_THAT(*text, Catch::Contains("  group:    g\\x07\n"));
  CHECK_THAT(*text, Catch::Contains("x\\u009by"));
}
