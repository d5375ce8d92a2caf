#pragma once
// DaemonContext: what the wiring hands to each module while the daemon is assembled.
// Modules (credentials, tokens, cache, sync, proxy) are constructed in
// WpedApplication::buildModules(), keep what they need from here, register their routes on
// `router` and may replace `statusProvider`. Everything here outlives every module.
// Set up on the main thread before serving starts; afterwards only the thread-safe members
// (config, notifier, logger) are used concurrently.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config/config_holder.h"
#include "daemon/localapi/router.h"
#include "daemon/profiles/status_provider.h"
#include "daemon/system/notifier.h"

namespace Poco {
class Logger;
}

namespace wpe {

struct DaemonContext {
  Poco::Logger& logger;
  ConfigHolder& config;
  Router& router;
  Notifier& notifier;
  std::string socketPath;
  std::string configPath;
  std::string cacheDir;  // resolved from the initial config
  std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
  StatusProvider* statusProvider = nullptr;  // never null once wiring is done
  // Objects the modules own, destroyed in reverse order after serving stopped.
  std::vector<std::shared_ptr<void>> keepAlive;
  // Called (in registration order) when a stop begins, before serving stops: wake requests
  // that wait (a login long-poll) so the serving threads can finish.
  std::vector<std::function<void()>> onStopping;
  // Called (in registration order) after serving stopped, before destruction.
  std::vector<std::function<void()>> onStop;
};

}  // namespace wpe
