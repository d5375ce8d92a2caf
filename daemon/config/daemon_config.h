#pragma once
// The whole validated configuration: [daemon] plus every [profile.NAME] (profile `default`
// always exists). Built by ConfigLoader; immutable once built (reload builds a new one).

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "daemon/config/profile_config.h"

namespace wpe {

enum class CredentialStoreKind { Keyring, Memory };

struct DaemonConfig {
  std::string sourcePath;  // the file read, or "" when defaults were used
  CredentialStoreKind credentialStore = CredentialStoreKind::Keyring;
  std::chrono::seconds syncInterval{900};
  std::chrono::seconds upstreamTimeout{60};  // one upstream exchange, start to last byte
  std::string logLevel = "information";
  std::string cacheDir;                      // empty: $XDG_CACHE_HOME/wped
  std::vector<std::string> onLoginRequired;  // argv, not a shell; empty: nothing runs
  std::map<std::string, ProfileConfig> profiles;
};

}  // namespace wpe
