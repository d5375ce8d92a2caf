#include "daemon/upstream/upstream_url.h"

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("UpstreamUrl: scheme rules and request targets", "[url]") {
  CHECK(isLoopbackHost("127.0.0.1"));
  CHECK(isLoopbackHost("127.5.6.7"));
  CHECK(isLoopbackHost("::1"));
  CHECK(isLoopbackHost("localhost"));
  CHECK_FALSE(isLoopbackHost("128.0.0.1"));
  CHECK_FALSE(isLoopbackHost("localhost.example.com"));
  CHECK_FALSE(isLoopbackHost("10.0.0.1"));

  auto u = UpstreamUrl::parse("https://api.wpengineapi.com/v1/sites/a%2Fb?x=1#frag");
  REQUIRE(u);
  CHECK(u->host == "api.wpengineapi.com");
  CHECK(u->port == 443);
  CHECK(u->pathAndQuery == "/v1/sites/a%2Fb?x=1");
  // An OAuth endpoint goes on the wire as configured: trailing slash and query kept.
  auto dot = UpstreamUrl::parse("https://auth.example/o/token/?tenant=wpe");
  REQUIRE(dot);
  CHECK(dot->pathAndQuery == "/o/token/?tenant=wpe");
  auto v6 = UpstreamUrl::parse("http://[::1]:8080");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 8080);
  CHECK(v6->pathAndQuery == "/");
  CHECK_FALSE(UpstreamUrl::parse("http://10.1.2.3/v1"));
  CHECK_FALSE(UpstreamUrl::parse("ftp://127.0.0.1/"));
  CHECK_FALSE(UpstreamUrl::parse("/v1/sites"));
}
