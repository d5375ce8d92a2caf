// wped.ini (daemon/config/config_loader) through ConfigLoader::parse, the function load()
// calls on the file's text. Invariants: never throws; an accepted config has profile
// `default`, a sync interval > 0 and only endpoint URLs the transport's UpstreamUrl also
// accepts (the config's URL check and the transport's must agree, or a config that loads
// fails at the first request); a refusal names the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/config/config_loader.h"
#include "daemon/upstream/upstream_url.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/unit/quiet_logger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(wpe::fuzz::bytes(data, size));
  static const wpe::ConfigLoader loader(wpe::test::quietLogger());
  auto config = loader.parse(text, "/fuzz/wped.ini");
  if (!config) {
    FUZZ_CHECK(config.error().message.find("/fuzz/wped.ini") != std::string::npos,
               "a config error that does not name the file");
    return 0;
  }
  FUZZ_CHECK(config->profiles.count("default") == 1, "no profile default");
  FUZZ_CHECK(config->syncInterval.count() > 0, "a sync interval of 0 or less");
  for (const auto& [name, profile] : config->profiles) {
    for (const std::string* url :
         {&profile.apiUrl, &profile.authorizeUrl, &profile.tokenUrl, &profile.revokeUrl}) {
      if (url->empty()) continue;
      FUZZ_CHECK(wpe::UpstreamUrl::parse(*url).ok(),
                 "the config accepts an endpoint URL the transport refuses");
    }
  }
  return 0;
}
