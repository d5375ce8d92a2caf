// Endpoint URLs (daemon/upstream/upstream_url), from the config or a login. Invariants:
// never throws; an accepted URL is https://, or http:// to a loopback host; its port is set
// and its path starts with '/'; put back together it parses to the same parts. And the
// config's check of the same text as token_url agrees with it where it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/config/config_loader.h"
#include "daemon/upstream/upstream_url.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/unit/quiet_logger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(wpe::fuzz::bytes(data, size));
  wpe::isLoopbackHost(text);
  auto url = wpe::UpstreamUrl::parse(text);
  if (url) {
    FUZZ_CHECK(url->scheme == "https" || url->scheme == "http", "another scheme accepted");
    FUZZ_CHECK(url->secure() || wpe::isLoopbackHost(url->host), "http:// to a remote host");
    FUZZ_CHECK(url->port != 0, "no port");
    FUZZ_CHECK(!url->pathAndQuery.empty() && url->pathAndQuery[0] == '/', "no path");
    const bool v6 = url->host.find(':') != std::string::npos;
    const std::string again = url->scheme + "://" + (v6 ? "[" + url->host + "]" : url->host) +
                              ":" + std::to_string(url->port) + url->pathAndQuery;
    auto reparsed = wpe::UpstreamUrl::parse(again);
    FUZZ_CHECK(reparsed.ok(), "a URL put back together from its parts no longer parses");
    FUZZ_CHECK(reparsed->scheme == url->scheme && reparsed->host == url->host &&
                   reparsed->port == url->port && reparsed->pathAndQuery == url->pathAndQuery,
               "a URL put back together parses to other parts");
  }

  // The same text as a config value (one line: INI values end at the line).
  if (text.find_first_of("\r\n") != std::string::npos) return 0;
  static const wpe::ConfigLoader loader(wpe::test::quietLogger());
  auto config = loader.parse("[profile.default]\ntoken_url = " + text + "\n", "/fuzz/wped.ini");
  if (config) {
    const std::string& kept = config->profiles.at("default").tokenUrl;
    if (!kept.empty()) {
      FUZZ_CHECK(wpe::UpstreamUrl::parse(kept).ok(),
                 "the config accepts a token_url the transport refuses");
    }
  }
  return 0;
}
