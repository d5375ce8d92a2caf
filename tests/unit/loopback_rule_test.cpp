// The loopback rule (common/loopback_host.h) as every component applies it: what the config
// accepts for plain http://, the transport and the OAuth client accept too, and the reverse.

#include <catch2/catch.hpp>
#include <string>

#include "common/loopback_host.h"
#include "common/url_host.h"
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
    {"127.0.0.1", true},
    {"127.255.3.4", true},
    {"localhost", true},
    {"LOCALHOST", true},
    {"[::1]", true},
    {"[::ffff:127.0.0.1]", true},
    {"128.0.0.1", false},
    {"10.0.0.1", false},
    {"0.0.0.0", false},
    {"[::]", false},
    {"[::ffff:10.0.0.1]", false},
    {"localhost.example", false},
    {"foo.localhost", false},
    {"127.0.0.1.nip.io", false},
    {"api.wpengineapi.com", false},
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
      auto config = loader.parse(
          std::string("[profile.work]\nauth = oauth\nclient_id = c\n") + key + " = " + url + "\n",
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

TEST_CASE("isLoopbackHost: 127.0.0.0/8, ::1, ::ffff:127.x and the name localhost", "[loopback]") {
  for (const auto& [host, loopback] : kHosts) {
    INFO(host);
    CHECK(isLoopbackHost(host) == loopback);
  }
  CHECK(isLoopbackHost("::1"));  // as Poco::URI::getHost() gives it
  CHECK(isLoopbackHost("::ffff:127.9.9.9"));
  CHECK_FALSE(isLoopbackHost("127.1"));       // not a dotted quad
  CHECK_FALSE(isLoopbackHost("localhost."));  // not the exact name
  CHECK_FALSE(isLoopbackHost(""));
  CHECK_FALSE(isLoopbackHost(std::string("localhost\0.evil", 15)));
}

TEST_CASE("URL hosts: a DNS name or an IP address, the same answer from config and transport",
          "[loopback]") {
  // Found by fuzz_upstream_url: Poco::URI takes "https://[[\x97 1]" apart with a host that is
  // no address, and put back together it no longer parsed.
  const std::string bad[] = {"[\x97 1", "[::1", "a b", "a..b", ".a", "exa%41mple.com",
                             "fe80::1%eth0", std::string(64, 'a') + ".com", "caf\xc3\xa9.fr"};
  const std::string good[] = {"api.wpengineapi.com", "api.wpengineapi.com.", "127.0.0.1", "::1",
                              "2001:db8::7", "xn--caf-dma.fr", "my_host", std::string(63, 'a')};
  for (const auto& host : bad) CHECK_FALSE(isUrlHost(host));
  for (const auto& host : good) CHECK(isUrlHost(host));

  ConfigLoader loader(test::quietLogger());
  for (const std::string url : {"https://[[\x97 1]", "https://[fe80::1%25eth0]/",
                                "https://a..b/v1"}) {
    INFO(url);
    auto parsed = UpstreamUrl::parse(url);
    REQUIRE_FALSE(parsed);
    CHECK_THAT(parsed.error().message, Catch::Contains("invalid host") ||
                                           Catch::Contains("invalid URL"));
    auto config = loader.parse("[profile.work]\napi_url = " + url + "\n", "/u/wped.ini");
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message, Catch::Contains("[profile.work] api_url = "));
  }
  CHECK(UpstreamUrl::parse("https://[2001:db8::7]:8443/v1").ok());
  CHECK(UpstreamUrl::parse("https://api.wpengineapi.com/v1").ok());
}
