#pragma once
// CoreEndpoints: the daemon's own routes.
//   GET  /v1/ping            {"ok":true} — cheap liveness, used by the watchdog self-check
//   GET  /v1/status          daemon facts + StatusProvider's store and profile states
//   GET  /v1/profiles        every profile's non-secret config
//   GET  /v1/profiles/{p}    one profile (404 unknown)
//   POST /v1/reload          re-read the config; bad config → 400 with the message, old kept
//   POST /v1/shutdown        202, then a clean stop
// Also installs the {p} rule: a path's profile name must be [A-Za-z0-9_-]{1,64} → else 400.
// Holds references only; everything referenced must outlive the router. Thread-safe.

#include <chrono>
#include <functional>
#include <string>

#include "common/result.h"
#include "daemon/config/config_holder.h"
#include "daemon/localapi/router.h"
#include "daemon/profiles/status_provider.h"

namespace wpe {

class CoreEndpoints {
 public:
  struct Deps {
    ConfigHolder& config;
    std::function<StatusProvider&()> statusProvider;  // asked per request
    std::string socketPath;
    std::string configPath;  // resolved, even when the file does not exist
    std::chrono::steady_clock::time_point startedAt;
    std::function<Status()> reload;
    std::function<void()> requestShutdown;
  };

  explicit CoreEndpoints(Deps deps) : deps_(std::move(deps)) {}
  void registerRoutes(Router& router);

  ApiResponse status(ApiRequest& request);
  ApiResponse profiles(ApiRequest& request);
  ApiResponse profile(ApiRequest& request);
  ApiResponse reload(ApiRequest& request);
  ApiResponse shutdown(ApiRequest& request);

 private:
  Deps deps_;
};

// The profile named in the path, from a config snapshot; NotFound names it.
Result<ProfileConfig> findProfile(const DaemonConfig& config, const std::string& name);
ProfileInfo profileInfoOf(const ProfileConfig& profile);

}  // namespace wpe
