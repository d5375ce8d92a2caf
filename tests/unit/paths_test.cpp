#include "common/paths.h"

#include <catch2/catch.hpp>
#include <map>

#include "common/profile_name.h"

using namespace wpe;

namespace {
EnvLookup envOf(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}
}  // namespace

TEST_CASE("Paths: socket path from --socket, WPED_SOCKET, XDG_RUNTIME_DIR in that order",
          "[paths]") {
  auto env = envOf({{"WPED_SOCKET", "/env/s.sock"}, {"XDG_RUNTIME_DIR", "/run/user/1000"}});
  CHECK(resolveSocketPath(std::string("/cli/s.sock"), env).value() == "/cli/s.sock");
  CHECK(resolveSocketPath(std::nullopt, env).value() == "/env/s.sock");
  CHECK(resolveSocketPath(std::nullopt, envOf({{"XDG_RUNTIME_DIR", "/run/user/1000"}})).value() ==
        "/run/user/1000/wped/wped.sock");
}

TEST_CASE("Paths: no XDG_RUNTIME_DIR is a clear error, never /tmp", "[paths]") {
  for (auto env : {envOf({}), envOf({{"XDG_RUNTIME_DIR", "relative/dir"}})}) {
    auto r = resolveSocketPath(std::nullopt, env);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("XDG_RUNTIME_DIR"));
  }
}

TEST_CASE("Paths: socket paths of 108 bytes or more are refused", "[paths]") {
  std::string ok = "/" + std::string(106, 'a');
  std::string tooLong = "/" + std::string(107, 'a');
  CHECK(resolveSocketPath(ok, envOf({})));
  auto r = resolveSocketPath(tooLong, envOf({}));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("108 bytes"));
  auto viaXdg =
      resolveSocketPath(std::nullopt, envOf({{"XDG_RUNTIME_DIR", "/" + std::string(100, 'r')}}));
  CHECK_FALSE(viaXdg);
}

TEST_CASE("Paths: config path from --config, WPED_CONFIG, XDG_CONFIG_HOME, HOME", "[paths]") {
  auto full = envOf({{"WPED_CONFIG", "/e.ini"}, {"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}});
  auto c = resolveConfigPath(std::string("/c.ini"), full);
  CHECK(c->path == "/c.ini");
  CHECK(c->explicitlyGiven);
  CHECK(resolveConfigPath(std::nullopt, full)->path == "/e.ini");
  auto xdg = resolveConfigPath(std::nullopt, envOf({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}));
  CHECK(xdg->path == "/x/wped/wped.ini");
  CHECK_FALSE(xdg->explicitlyGiven);
  CHECK(resolveConfigPath(std::nullopt, envOf({{"HOME", "/h"}}))->path ==
        "/h/.config/wped/wped.ini");
  CHECK_FALSE(resolveConfigPath(std::nullopt, envOf({})));
}

TEST_CASE("Paths: cache dir from config, XDG_CACHE_HOME, HOME", "[paths]") {
  CHECK(resolveCacheDir("/conf", envOf({{"HOME", "/h"}})).value() == "/conf");
  CHECK(resolveCacheDir("", envOf({{"XDG_CACHE_HOME", "/c"}, {"HOME", "/h"}})).value() ==
        "/c/wped");
  CHECK(resolveCacheDir("", envOf({{"HOME", "/h"}})).value() == "/h/.cache/wped");
}

TEST_CASE("ProfileName: only [A-Za-z0-9_-]{1,64}", "[paths]") {
  CHECK(isValidProfileName("default"));
  CHECK(isValidProfileName("Work_2-x"));
  CHECK_FALSE(isValidProfileName(""));
  CHECK_FALSE(isValidProfileName(".."));
  CHECK_FALSE(isValidProfileName("a/b"));
  CHECK_FALSE(isValidProfileName("a\nb"));
  CHECK_FALSE(isValidProfileName(std::string(65, 'a')));
}
