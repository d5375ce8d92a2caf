#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "daemon/config/config_loader.h"
#include "tests/unit/quiet_logger.h"

using namespace wpe;
using test::quietLogger;

namespace {

Result<DaemonConfig> parse(const std::string& text) {
  return ConfigLoader(quietLogger()).parse(text, "/home/u/.config/wped/wped.ini");
}

std::string errorOf(const std::string& text) {
  auto r = parse(text);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::BadRequest);
  return r.error().message;
}

}  // namespace

TEST_CASE("ConfigLoader: empty file gives the defaults and profile default", "[config]") {
  auto r = parse("");
  REQUIRE(r);
  CHECK(r->credentialStore == CredentialStoreKind::Keyring);
  CHECK(r->syncInterval == std::chrono::seconds(900));
  CHECK(r->logLevel == "information");
  REQUIRE(r->profiles.count("default") == 1);
  CHECK(r->profiles.at("default").apiUrl == "https://api.wpengineapi.com/v1");
  CHECK(r->profiles.at("default").auth == AuthKind::ApiKey);
}

TEST_CASE("ConfigLoader: a missing default file gives defaults; a missing explicit one fails",
          "[config]") {
  ConfigLoader loader(quietLogger());
  auto implicit = loader.load({"/nonexistent/wped.ini", false});
  REQUIRE(implicit);
  CHECK(implicit->sourcePath.empty());
  CHECK(implicit->profiles.count("default") == 1);
  auto explicitPath = loader.load({"/nonexistent/wped.ini", true});
  REQUIRE_FALSE(explicitPath);
  CHECK_THAT(explicitPath.error().message, Catch::Contains("/nonexistent/wped.ini"));
}

TEST_CASE("ConfigLoader: an annotated file parses, inline comments included", "[config]") {
  auto r = parse(R"(
[daemon]
credential_store = memory    ; keyring | memory
sync_interval = 120          ; seconds
log_level = debug
cache_dir = /var/tmp/wped-cache
on_login_required = /usr/bin/notify-send  wped   "login needed"

# a hash comment
[profile.default]
auth = api_key
api_url = https://api.wpengineapi.com/v1/

[profile.work-2]
auth = oauth
client_id = abc123
scope = sites:read
redirect_port = 8123
authorize_url = http://127.0.0.1:9000/oauth/authorize
token_url = http://[::1]:9000/oauth/token
revoke_url = http://localhost:9000/oauth/revoke

[profile.ops]
auth = basic
user = 1234-abcd
)");
  REQUIRE(r);
  CHECK(r->credentialStore == CredentialStoreKind::Memory);
  CHECK(r->syncInterval == std::chrono::seconds(120));
  CHECK(r->logLevel == "debug");
  CHECK(r->cacheDir == "/var/tmp/wped-cache");
  CHECK(r->onLoginRequired ==
        std::vector<std::string>{"/usr/bin/notify-send", "wped", "\"login", "needed\""});
  CHECK(r->profiles.size() == 3);
  CHECK(r->profiles.at("default").apiUrl == "https://api.wpengineapi.com/v1");  // slash trimmed
  const auto& work = r->profiles.at("work-2");
  CHECK(work.auth == AuthKind::OAuth);
  CHECK(work.clientId == "abc123");
  CHECK(work.redirectPort == 8123);
  CHECK(work.tokenUrl == "http://[::1]:9000/oauth/token");
  CHECK(r->profiles.at("ops").user == "1234-abcd");
}

TEST_CASE("ConfigLoader: OAuth endpoints are kept exactly as written", "[config]") {
  // Django OAuth Toolkit publishes /o/authorize/, /o/token/, /o/revoke_token/ and answers the
  // slash-less paths with 301/404; RFC 6749 §3.1 keeps an endpoint's query.
  auto r = parse(R"(
[profile.dot]
auth = oauth
client_id = abc
api_url = https://api.example/v1/
authorize_url = https://auth.example/o/authorize/?tenant=wpe
token_url = https://auth.example/o/token/
revoke_url = https://auth.example/o/revoke_token/?tenant=wpe&x=%2F
)");
  REQUIRE(r);
  const auto& p = r->profiles.at("dot");
  CHECK(p.authorizeUrl == "https://auth.example/o/authorize/?tenant=wpe");
  CHECK(p.tokenUrl == "https://auth.example/o/token/");
  CHECK(p.revokeUrl == "https://auth.example/o/revoke_token/?tenant=wpe&x=%2F");
  CHECK(p.apiUrl == "https://api.example/v1");  // a base that paths are joined to
}

TEST_CASE("ConfigLoader: an endpoint with a #fragment is refused, saying what to do", "[config]") {
  for (const char* key : {"authorize_url", "token_url", "revoke_url", "api_url"}) {
    for (const char* url : {"https://auth.example/o/token/#x", "https://auth.example/o/token/#"}) {
      auto m = errorOf(std::string("[profile.default]\n") + key + " = " + url + "\n");
      CHECK_THAT(m, Catch::Contains(key) && Catch::Contains(url) && Catch::Contains("#fragment") &&
                        Catch::Contains("remove"));
    }
  }
}

TEST_CASE("ConfigLoader: an empty profile section still defines the profile", "[config]") {
  auto r = parse("[profile.empty]\n");
  REQUIRE(r);
  CHECK(r->profiles.count("empty") == 1);
  CHECK(r->profiles.count("default") == 1);
}

TEST_CASE("ConfigLoader: every bad value names file, key, value and what is allowed", "[config]") {
  SECTION("credential_store") {
    auto m = errorOf("[daemon]\ncredential_store = plaintext\n");
    CHECK_THAT(m, Catch::Contains("/home/u/.config/wped/wped.ini") &&
                      Catch::Contains("credential_store") && Catch::Contains("\"plaintext\"") &&
                      Catch::Contains("keyring or memory"));
  }
  SECTION("sync_interval out of range or not a number") {
    CHECK_THAT(errorOf("[daemon]\nsync_interval = 59\n"), Catch::Contains("60 to 86400"));
    CHECK_THAT(errorOf("[daemon]\nsync_interval = 86401\n"), Catch::Contains("\"86401\""));
    CHECK_THAT(errorOf("[daemon]\nsync_interval = 10m\n"), Catch::Contains("sync_interval"));
    CHECK_THAT(errorOf("[daemon]\nsync_interval = -5\n"), Catch::Contains("sync_interval"));
  }
  SECTION("log_level") {
    CHECK_THAT(errorOf("[daemon]\nlog_level = verbose\n"),
               Catch::Contains("log_level") && Catch::Contains("information"));
  }
  SECTION("cache_dir relative") {
    CHECK_THAT(errorOf("[daemon]\ncache_dir = cache\n"), Catch::Contains("absolute"));
  }
  SECTION("auth") {
    CHECK_THAT(
        errorOf("[profile.default]\nauth = token\n"),
        Catch::Contains("[profile.default] auth") && Catch::Contains("api_key, basic, oauth"));
  }
  SECTION("plain http to a non-loopback host, and other schemes") {
    CHECK_THAT(errorOf("[profile.default]\napi_url = http://api.wpengineapi.com/v1\n"),
               Catch::Contains("api_url") && Catch::Contains("https://"));
    CHECK_THAT(errorOf("[profile.default]\ntoken_url = http://128.0.0.1/t\n"),
               Catch::Contains("token_url"));
    CHECK_THAT(errorOf("[profile.default]\nauthorize_url = ftp://x/a\n"),
               Catch::Contains("authorize_url"));
    CHECK_THAT(errorOf("[profile.default]\napi_url = not a url\n"), Catch::Contains("api_url"));
    CHECK_THAT(errorOf("[profile.default]\napi_url = https://u:pw@host/v1\n"),
               Catch::Contains("keyring"));
  }
  SECTION("redirect_port") {
    CHECK_THAT(errorOf("[profile.default]\nredirect_port = 65536\n"),
               Catch::Contains("0 to 65535"));
    CHECK_THAT(errorOf("[profile.default]\nredirect_port = http\n"),
               Catch::Contains("redirect_port"));
  }
  SECTION("ca_file must exist and be readable") {
    CHECK_THAT(errorOf("[profile.default]\nca_file = /nonexistent/ca.pem\n"),
               Catch::Contains("ca_file") && Catch::Contains("/nonexistent/ca.pem"));
  }
  SECTION("basic needs user, oauth needs client_id") {
    CHECK_THAT(errorOf("[profile.b]\nauth = basic\n"), Catch::Contains("user"));
    CHECK_THAT(errorOf("[profile.o]\nauth = oauth\n"), Catch::Contains("client_id"));
  }
  SECTION("control characters in a value are escaped in the message") {
    auto m = errorOf("[profile.default]\nauth = a\x1b[31mb\n");
    CHECK(m.find('\x1b') == std::string::npos);
    CHECK_THAT(m, Catch::Contains("\\x1b"));
  }
}

TEST_CASE("ConfigLoader: unknown keys and sections are errors naming them", "[config]") {
  CHECK_THAT(errorOf("[daemon]\nsync_intervall = 100\n"),
             Catch::Contains("sync_intervall") && Catch::Contains("[daemon]"));
  CHECK_THAT(errorOf("[profile.default]\napi_key = secret\n"), Catch::Contains("\"api_key\""));
  CHECK_THAT(errorOf("[deamon]\nlog_level = debug\n"), Catch::Contains("[deamon]"));
  CHECK_THAT(errorOf("stray = 1\n[daemon]\n"), Catch::Contains("stray"));
  CHECK_THAT(errorOf("[profile]\nauth = basic\n"), Catch::Contains("[profile]"));
}

TEST_CASE("ConfigLoader: an error names the line an editor jumps to", "[config]") {
  const std::string file = "/home/u/.config/wped/wped.ini";
  auto startsWith = [](const std::string& m, const std::string& prefix) {
    INFO(m);
    return m.rfind(prefix, 0) == 0;
  };
  SECTION("a bad value: its own line, comments and blank lines counted") {
    const auto m = errorOf("; wped\n\n[daemon]\nlog_level = debug\n\n[profile.work]\n"
                           "# the API\napi_url = http://api.example.test/v1\n");
    CHECK(startsWith(m, file + ":8: [profile.work] api_url = "));
  }
  SECTION("a key set twice: the line whose value counts, the last") {
    const auto m = errorOf("[daemon]\nsync_interval = 100\nsync_interval = 5\n");
    CHECK(startsWith(m, file + ":3: [daemon] sync_interval = \"5\""));
  }
  SECTION("CRLF line ends, spaces around the key") {
    CHECK(startsWith(errorOf("[daemon]\r\n\r\n  upstream_timeout   = 0\r\n"),
                     file + ":3: [daemon] upstream_timeout"));
  }
  SECTION("an unknown key, and a key before any section") {
    CHECK(startsWith(errorOf("[daemon]\nlog_level = debug\nlog_levl = debug\n"),
                     file + ":3: unknown key \"log_levl\""));
    CHECK(startsWith(errorOf("\nstray = 1\n[daemon]\n"), file + ":2: unknown key or section"));
  }
  SECTION("a section: its header's line") {
    CHECK(startsWith(errorOf("[daemon]\n[deamon]\n"), file + ":2: unknown section [deamon]"));
    CHECK(startsWith(errorOf("\n\n[profile.b]\nauth = basic\n"),
                     file + ":3: [profile.b] auth = basic needs user"));
  }
}

TEST_CASE("ConfigLoader: profile names are [A-Za-z0-9_-]{1,64}", "[config]") {
  CHECK_THAT(errorOf("[profile.a.b]\n"), Catch::Contains("invalid profile name"));
  CHECK_THAT(errorOf("[profile.sp ace]\n"), Catch::Contains("invalid profile name"));
  CHECK_THAT(errorOf("[profile." + std::string(65, 'x') + "]\n"),
             Catch::Contains("invalid profile name"));
  CHECK(parse("[profile." + std::string(64, 'x') + "]\n"));
}

TEST_CASE("ConfigLoader: a readable ca_file is accepted", "[config]") {
  char path[] = "/tmp/wped-ca-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  auto r = parse(std::string("[profile.default]\nca_file = ") + path + "\n");
  ::unlink(path);
  REQUIRE(r);
  CHECK(r->profiles.at("default").caFile == path);
}

TEST_CASE("ConfigLoader: a Basic user id follows the credential rule, ':' refused",
          "[config][credential_text]") {
  auto m = errorOf("[profile.work]\nauth = basic\nuser = api:user\n");
  CHECK_THAT(m, Catch::Contains("[profile.work] user = \"api:user\"") &&
                    Catch::Contains("contains ':'") && Catch::Contains("API Access page"));
  REQUIRE(parse("[profile.work]\nauth = basic\nuser = 550e8400-e29b-41d4-a716-446655440000\n"));
}
