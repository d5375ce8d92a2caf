#include <catch2/catch.hpp>
#include <map>

#include "ctl/credential_variables.h"

using namespace wpe;
using namespace wpe::ctl;

namespace {

std::map<std::string, std::string> asMap(const std::vector<CredentialVariable>& vars) {
  std::map<std::string, std::string> m;
  for (const auto& v : vars) m[v.name] = v.value.reveal();
  return m;
}

TokenReply basic() {
  return {Secret("dTpwdw=="), "Basic", "",          Secret("Basic dTpwdw=="),
          "https://api/v1",   "u-1",   Secret("pw")};
}

}  // namespace

TEST_CASE("CredentialVariables: styles parse, unknown ones are named", "[credential_variables]") {
  auto styles = CredentialVariables::parseStyles("token,wpe,token");
  REQUIRE(styles);
  CHECK(*styles == std::vector<std::string>{"token", "wpe"});
  auto bad = CredentialVariables::parseStyles("wpe,WPE");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("\"WPE\"") != std::string::npos);
  CHECK_FALSE(CredentialVariables::parseStyles(""));
  CHECK_FALSE(CredentialVariables::parseStyles("wpe,"));
}

TEST_CASE("CredentialVariables: each kind fills the styles that carry it",
          "[credential_variables]") {
  auto all = CredentialVariables::allStyles();
  SECTION("Basic: user id and password under the three Basic styles") {
    auto vars = CredentialVariables::build(basic(), all, "work", "/run/wped.sock");
    REQUIRE(vars);
    auto m = asMap(*vars);
    CHECK(m == std::map<std::string, std::string>{{"WPE_API_USER_ID", "u-1"},
                                                  {"WPE_API_PASSWORD", "pw"},
                                                  {"WP_ENGINE_API_USERNAME", "u-1"},
                                                  {"WP_ENGINE_API_PASSWORD", "pw"},
                                                  {"WPENGINE_USERNAME", "u-1"},
                                                  {"WPENGINE_PASSWORD", "pw"},
                                                  {"WPE_API_URL", "https://api/v1"},
                                                  {"WPED_SOCKET", "/run/wped.sock"},
                                                  {"WPE_PROFILE", "work"}});
    for (const auto& v : *vars) CHECK(v.secret == (v.name.find("PASSWORD") != std::string::npos));
  }
  SECTION("an API key or OAuth token: the token style only") {
    TokenReply key{Secret("k"), "ApiKey", "", Secret("ApiKey k"), "", "", std::nullopt};
    auto vars = CredentialVariables::build(key, all, "default", "/s");
    REQUIRE(vars);
    CHECK(asMap(*vars) == std::map<std::string, std::string>{{"WPENGINE_API_TOKEN", "k"},
                                                             {"WPE_API_TOKEN", "k"},
                                                             {"WPED_SOCKET", "/s"},
                                                             {"WPE_PROFILE", "default"}});
  }
  SECTION("no chosen style fits: an error that says which ones would") {
    auto vars = CredentialVariables::build(basic(), {"token"}, "work", "/s");
    REQUIRE_FALSE(vars);
    CHECK(vars.error().message.find("wpe, wp-engine and wpengine") != std::string::npos);
  }
}
