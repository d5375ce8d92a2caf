#pragma once
// ConfigLoader: reads wped.ini (POCO Util IniFileConfiguration) into a validated
// DaemonConfig. Keys and allowed values: docs/configuration.md; docs in ConfigLoader.cpp.
//
// Every problem is an Error (BadRequest) whose message names the file, the section and key,
// the offending value (escaped) and what is allowed; unknown sections and keys are errors too
// (typo protection). wped prints it and exits with EX_CONFIG (78); `wpectl reload` shows it.
// A missing file gives the defaults (profile `default`) unless the path was given explicitly.
// Profile `default` always exists. Plain-http loopback endpoints are accepted with a warning
// logged to the logger passed in.
//
// Stateless apart from the logger reference; safe to call from any thread.

#include <string>

#include "common/paths.h"
#include "common/result.h"
#include "daemon/config/daemon_config.h"

namespace Poco {
class Logger;
}

namespace wpe {

class ConfigLoader {
 public:
  explicit ConfigLoader(Poco::Logger& logger) : logger_(logger) {}

  Result<DaemonConfig> load(const ConfigLocation& location) const;
  // Parses INI text as if read from `sourceName` (tests, and load() itself).
  Result<DaemonConfig> parse(const std::string& text, const std::string& sourceName) const;

 private:
  Poco::Logger& logger_;
};

}  // namespace wpe
