#pragma once
// ProfileStack: what a ProfileRegistry (and a Scheduler over it) needs, over fakes — the
// SyncStack's upstream half, a FakeCredentialStore as the keyring, a real SQLite cache in a
// temporary directory and a LoginRegistry — plus a config builder. The keyring starts empty,
// so a restored profile is logged out and never calls the API.

#include <Poco/Logger.h>

#include <map>
#include <memory>
#include <string>

#include "daemon/auth/login_registry.h"
#include "daemon/config/daemon_config.h"
#include "daemon/profiles/profile_services.h"
#include "tests/unit/fakes.h"
#include "tests/unit/sync_stack.h"

namespace wpe::testing {

struct ProfileStack : SyncStack {
  ProfileStack() : SyncStack(20, 2) {
    transport.setHandler([this](const HttpRequest& r) { return api.serve(r); });
  }

  // A DaemonConfig with one api_key profile per name, each at `apiUrl`.
  static DaemonConfig config(std::map<std::string, std::string> apiUrlByName,
                             std::string sourcePath = "/home/u/.config/wped/wped.ini") {
    DaemonConfig out;
    out.sourcePath = std::move(sourcePath);
    for (auto& [name, url] : apiUrlByName) {
      ProfileConfig profile;
      profile.name = name;
      profile.apiUrl = url;
      out.profiles.emplace(name, profile);
    }
    return out;
  }

  FakeCredentialStore store;
  std::unique_ptr<CacheStore> cache = openCache();
  LoginRegistry logins{clock};
  ProfileServices services{store,
                           transport,
                           client,
                           fetcher,
                           *cache,
                           logins,
                           clock,
                           Poco::Logger::get("test"),
                           std::chrono::seconds(900),
                           [](const std::string&) {},
                           [](const std::string&) {}};
};

}  // namespace wpe::testing
