#include "daemon/localapi/router.h"

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "common/profile_name.h"
#include "tests/unit/quiet_logger.h"

using namespace wpe;
using test::quietLogger;
using test::request;

namespace {

Router makeRouter() {
  Router router(quietLogger());
  router.addParamRule("p", isValidProfileName, "a profile name");
  auto echo = [](ApiRequest& r) {
    std::string body;
    for (const auto& [k, v] : r.pathParams) body += k + "=" + v + ";";
    return ApiResponse::json(200, body);
  };
  router.add("GET", "/v1/status", echo);
  router.add("GET", "/v1/profiles/{p}", echo);
  router.add("POST", "/v1/profiles/{p}/login", echo);
  router.add("GET", "/v1/profiles/{p}/sites/{id}", echo);
  router.add("*", "/v1/profiles/{p}/api/{rest...}", echo);
  router.add("GET", "/v1/boom",
             [](ApiRequest&) -> ApiResponse { throw std::runtime_error("secret detail"); });
  return router;
}

}  // namespace

TEST_CASE("Router: path parameters are decoded and passed", "[router]") {
  auto router = makeRouter();
  auto r = request("GET", "/v1/profiles/work/sites/a%20b");
  auto resp = router.dispatch(r);
  CHECK(resp.status == 200);
  CHECK(resp.body == "p=work;id=a b;");  // in the route's order
}

TEST_CASE("Router: a tail parameter keeps the raw rest of the path", "[router]") {
  auto router = makeRouter();
  auto r = request("DELETE", "/v1/profiles/w/api/sites/1/domains%2Fx");
  auto resp = router.dispatch(r);
  CHECK(resp.status == 200);
  CHECK(resp.body == "p=w;rest=sites/1/domains%2Fx;");
}

TEST_CASE("Router: a path deeper than any route reaches only the passthrough's tail",
          "[router]") {
  auto router = makeRouter();
  // 12 segments: more than the router looks at, all of them still in the tail.
  auto deep = request("GET", "/v1/profiles/w/api/a/b/c/d/e/f/g%2Fh/i");
  auto resp = router.dispatch(deep);
  CHECK(resp.status == 200);
  CHECK(resp.body == "p=w;rest=a/b/c/d/e/f/g%2Fh/i;");
  // A route without a tail never matches a longer path, however deep.
  auto longer = request("GET", "/v1/profiles/w/sites/x/y/z/1/2/3/4/5");
  CHECK(router.dispatch(longer).status == 404);
  // A bad escape past the segments any route reads is the passthrough's to forward.
  auto badTail = request("GET", "/v1/profiles/w/api/1/2/3/4/5/6/%zz");
  CHECK(router.dispatch(badTail).status == 200);
}

TEST_CASE("Router: a route longer than the router reads is refused when it is added",
          "[router]") {
  Router router(quietLogger());
  auto handler = [](ApiRequest&) { return ApiResponse::json(200, "{}"); };
  CHECK_NOTHROW(router.add("GET", "/1/2/3/4/5/6/7/8", handler));
  CHECK_THROWS_AS(router.add("GET", "/1/2/3/4/5/6/7/8/9", handler), std::logic_error);
}

TEST_CASE("Router: a handler asking for a parameter its route lacks is an internal error",
          "[router]") {
  Router router(quietLogger());
  router.add("GET", "/v1/x/{a}", [](ApiRequest& r) { return ApiResponse::json(200, r.param("b")); });
  auto r = request("GET", "/v1/x/1");
  auto resp = router.dispatch(r);
  CHECK(resp.status == 500);
  CHECK(r.param("a") == "1");
}

TEST_CASE("Router: unknown path 404, wrong method 405 with Allow", "[router]") {
  auto router = makeRouter();
  auto missing = request("GET", "/v1/nothing");
  auto r404 = router.dispatch(missing);
  CHECK(r404.status == 404);
  CHECK_THAT(r404.body, Catch::Contains("\"code\":\"not_found\""));
  auto wrong = request("DELETE", "/v1/status");
  auto r405 = router.dispatch(wrong);
  CHECK(r405.status == 405);
  CHECK(std::count(r405.headers.begin(), r405.headers.end(),
                   std::make_pair(std::string("Allow"), std::string("GET"))) == 1);
  CHECK(std::count(
            r405.headers.begin(), r405.headers.end(),
            std::make_pair(std::string("X-Wped-Error"), std::string("method_not_allowed"))) == 1);
  CHECK_THAT(r405.body, Catch::Contains("method_not_allowed"));
  auto trailing = request("GET", "/v1/status/");
  CHECK(router.dispatch(trailing).status == 404);
}

TEST_CASE("Router: invalid profile names in the path → 400", "[router]") {
  auto router = makeRouter();
  for (const char* path :
       {"/v1/profiles/..", "/v1/profiles/%2e%2e", "/v1/profiles/a%2Fb", "/v1/profiles/a%0Ab",
        "/v1/profiles/", "/v1/profiles/../sites/1", "/v1/profiles/%00"}) {
    INFO(path);
    auto r = request("GET", path);
    auto resp = router.dispatch(r);
    CHECK(resp.status == 400);
    CHECK_THAT(resp.body, Catch::Contains("bad_request"));
  }
  auto badEscape = request("GET", "/v1/profiles/%zz");
  CHECK(router.dispatch(badEscape).status == 400);
}

TEST_CASE("Router: an exception in a handler → 500 without its text", "[router]") {
  auto router = makeRouter();
  auto r = request("GET", "/v1/boom");
  auto resp = router.dispatch(r);
  CHECK(resp.status == 500);
  CHECK_THAT(resp.body, Catch::Contains("\"code\":\"internal\""));
  CHECK(resp.body.find("secret detail") == std::string::npos);
}

TEST_CASE("Router: a malformed %-escape is refused only where a route decodes it", "[router]") {
  auto router = makeRouter();
  // In a segment a route compares or passes as a parameter: 400.
  auto inParam = request("GET", "/v1/profiles/work/sites/%zz");
  auto r400 = router.dispatch(inParam);
  CHECK(r400.status == 400);
  CHECK_THAT(r400.body, Catch::Contains("malformed %-escape"));
  auto inLiteral = request("GET", "/v1/%4");
  CHECK(router.dispatch(inLiteral).status == 400);
  // In the passthrough's raw tail, which no route decodes: forwarded as sent.
  auto inTail = request("GET", "/v1/profiles/work/api/sites/%zz");
  auto forwarded = router.dispatch(inTail);
  CHECK(forwarded.status == 200);
  CHECK(forwarded.body == "p=work;rest=sites/%zz;");
  // The same segment decoded by one route and matched by the next: the first decoding holds.
  auto twice = request("GET", "/v1/profiles/w%6Frk/sites/x");
  auto both = router.dispatch(twice);
  CHECK(both.status == 200);
  CHECK(both.body == "p=work;id=x;");
}
