#include "daemon/profiles/api_proxy.h"

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("ApiProxy: paths must stay under api_url", "[api_proxy]") {
  CHECK(ApiProxy::isSafePath("sites"));
  CHECK(ApiProxy::isSafePath("sites/28c78b6d-c2da-4f09-85f5-1ad588089b2d"));
  CHECK(ApiProxy::isSafePath("installs/abc/domains"));
  CHECK(ApiProxy::isSafePath("sites/Torque%20Magazine"));
  CHECK_FALSE(ApiProxy::isSafePath(""));
  CHECK_FALSE(ApiProxy::isSafePath("/sites"));
  CHECK_FALSE(ApiProxy::isSafePath("../oauth/token"));
  CHECK_FALSE(ApiProxy::isSafePath("sites/../../x"));
  CHECK_FALSE(ApiProxy::isSafePath("sites/%2e%2e/x"));
  CHECK_FALSE(ApiProxy::isSafePath("sites/./x"));
  CHECK_FALSE(ApiProxy::isSafePath("sites\\x"));
  CHECK_FALSE(ApiProxy::isSafePath("sites x"));
  CHECK_FALSE(ApiProxy::isSafePath(std::string("sites\r\nHost: evil", 18)));
  CHECK_FALSE(ApiProxy::isSafePath("sites#frag"));
}
