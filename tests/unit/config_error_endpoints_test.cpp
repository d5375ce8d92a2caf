#include "daemon/localapi/config_error_endpoints.h"

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <catch2/catch.hpp>
#include <future>
#include <string>
#include <vector>

#include "tests/unit/quiet_logger.h"

using namespace wpe;
using test::quietLogger;
using test::request;

namespace {

std::string header(const ApiResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

const char* kPath = "/home/me/.config/wped/wped.ini";

struct Fixture {
  Result<DaemonConfig> next = Error(ErrorCode::BadRequest, std::string(kPath) +
                                                               ": unknown key \"sync_intervall\" "
                                                               "in [daemon]");
  int fixedCalls = 0;
  int shutdownCalls = 0;
  std::vector<std::string> stillBroken;
  ConfigErrorEndpoints endpoints{
      {kPath, [this] { return next; }, [this] { ++fixedCalls; }, [this] { ++shutdownCalls; },
       [this](const Error& e) { stillBroken.push_back(e.message); }},
      next.error()};
  Router router{quietLogger()};
  Fixture() { endpoints.registerRoutes(router); }

  ApiResponse call(std::string method, std::string path) {
    auto r = request(std::move(method), std::move(path));
    return router.dispatch(r);
  }
};

}  // namespace

TEST_CASE("ConfigErrorEndpoints: every request gets the loader's message and what to do",
          "[config_error]") {
  Fixture f;
  for (auto [method, path] : {std::pair<const char*, const char*>{"GET", "/v1/status"},
                              {"GET", "/v1/profiles/default/sites"},
                              {"POST", "/v1/profiles/default/login"},
                              {"GET", "/v1/profiles/default/api/sites"},
                              {"DELETE", "/v1/anything"}}) {
    INFO(method << " " << path);
    auto r = f.call(method, path);
    CHECK(r.status == 503);
    CHECK(header(r, "X-Wped-Error") == "config_error");
    CHECK(r.body.find("\"code\":\"config_error\"") != std::string::npos);
    CHECK(r.body.find("sync_intervall") != std::string::npos);
    CHECK(r.body.find("wpectl reload") != std::string::npos);
  }
  CHECK(f.call("GET", "/v1/ping").status == 200);  // alive: the watchdog's self-check passes
  CHECK(f.fixedCalls == 0);
}

TEST_CASE("ConfigErrorEndpoints: reload shows the new error, then switches once it loads",
          "[config_error]") {
  Fixture f;
  f.next = Error(ErrorCode::BadRequest, std::string(kPath) + ": [daemon] log_level = \"loud\"");
  auto still = f.call("POST", "/v1/reload");
  CHECK(still.status == 503);
  CHECK(still.body.find("log_level") != std::string::npos);
  CHECK(f.call("GET", "/v1/status").body.find("log_level") != std::string::npos);
  CHECK_FALSE(f.endpoints.takeFixed());
  CHECK(f.fixedCalls == 0);

  DaemonConfig good;
  good.sourcePath = kPath;
  f.next = good;
  auto fixed = f.call("POST", "/v1/reload");
  CHECK(fixed.status == 200);
  CHECK(fixed.body.find("\"reloaded\":true") != std::string::npos);
  CHECK(f.fixedCalls == 1);
  auto config = f.endpoints.takeFixed();
  REQUIRE(config);
  CHECK(config->sourcePath == kPath);

  // Between the good reload and the hand-over a request waits; then the normal routes answer.
  Router normal(quietLogger());
  normal.add("GET", "/v1/status", [](ApiRequest&) { return ApiResponse::json(200, "normal"); });
  auto waiting = std::async(std::launch::async, [&] { return f.call("GET", "/v1/status"); });
  f.endpoints.handOver(normal);
  auto answered = waiting.get();
  CHECK(answered.status == 200);
  CHECK(answered.body == "normal");
  CHECK(f.call("GET", "/v1/status").body == "normal");
  CHECK(f.call("POST", "/v1/reload").status == 404);  // the normal router's answer now
}

TEST_CASE("ConfigErrorEndpoints: a stop after the fix releases waiting requests",
          "[config_error]") {
  Fixture f;
  DaemonConfig good;
  f.next = good;
  REQUIRE(f.endpoints.reload());
  CHECK(f.fixedCalls == 0);  // only POST /v1/reload signals the main thread
  f.endpoints.close();
  auto r = f.call("GET", "/v1/status");
  CHECK(r.status == 503);
  CHECK(header(r, "X-Wped-Error") == "unavailable");
}

TEST_CASE("ConfigErrorEndpoints: shutdown still stops cleanly", "[config_error]") {
  Fixture f;
  CHECK(f.call("POST", "/v1/shutdown").status == 202);
  CHECK(f.shutdownCalls == 1);
}

TEST_CASE("ConfigErrorEndpoints: a reload that still fails reports the new error once, either way",
          "[config_error]") {
  Fixture f;
  f.next = Error(ErrorCode::BadRequest, std::string(kPath) + ": unknown key \"log_levle\"");
  SECTION("POST /v1/reload") {
    auto r = f.call("POST", "/v1/reload");
    CHECK(r.status == 503);
  }
  SECTION("reload() (SIGHUP)") { CHECK_FALSE(f.endpoints.reload()); }
  REQUIRE(f.stillBroken.size() == 1);
  CHECK(f.stillBroken[0] == f.endpoints.current().message);
  CHECK(f.stillBroken[0].find("log_levle") != std::string::npos);
  CHECK(f.fixedCalls == 0);
}
