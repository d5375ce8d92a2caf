// The loopback rule (common/loopback_host.h) as every component applies it: what the config
// accepts for plain http://, the transport and the OAuth client accept too, and the reverse.

#include <catch2/catch.hpp>
#include <string>

#include "daemon/auth/oauth_client.h"
#include "daemon/config/config_loader.h"
#include "daemon/upstream/upstream_url.h"
#include "tests/unit/quiet_logger.h"

using namespace wpe;

namespace {

struct HostCase {
  const char* host;
  bool loopback;
};

constexpr HostCase kHosts[] = {
    {"127.0.0.1", true},          {"127.255.3.4", true},         {"localhost", true},
    {"LOCALHOST", true},          {"[::1]", true},               {"[::ffff:127.0.0.1]", true},
    {"128.0.0.1", false},         {"10.0.0.1", false},           {"0.0.0.0", false},
    {"[::]", false},              {"[::ffff:10.0.0.1]", false},  {"localhost.example", false},
    {"foo.localhost", false},     {"127.0.0.1.nip.io", false},   {"api.wpengineapi.com", false},
};

}  // namespace

TEST_CASE("Loopback rule: the config, the transport and the OAuth client agree on every host",
          "[loopback]") {
  ConfigLoader loader(test::quietLogger());
  for (const auto& [host, loopback] : kHosts) {
    const std::string url = std::string("http://") + host + ":8080/oauth/token";
    INFO(url);
    for (const char* key : {"api_url", "authorize_url", "token_url", "revoke_url"}) {
      INFO(key);
      auto config = loader.parse(std::string("[profile.work]\nauth = oauth\nclient_id = c\n") +
                                     key + " = " + url + "\n",
                                 "/home/u/.config/wped/wped.ini");
      CHECK(config.ok() == loopback);
      if (!config) {
        // The error names the file, the profile, the key and the value, and the rule.
        CHECK_THAT(config.error().message,
                   Catch::Contains("[profile.work] " + std::string(key) + " = ") &&
                       Catch::Contains(url) && Catch::Contains("localhost"));
      }
    }
    CHECK(UpstreamUrl::parse(url).ok() == loopback);
    CHECK(OAuthClient::endpointAllowed(url) == loopback);
  }
}
