#pragma once
// AgentModules: everything wped does beyond serving its own status — the credential store,
// the upstream client, the site cache, the profiles, their scheduler and the per-profile
// endpoints — constructed in dependency order and destroyed in reverse. Wiring only.
//
// build() runs on the main thread before serving starts: it opens the cache (a failure is
// fatal: there would be nowhere to keep the site list), registers the routes, becomes the
// status provider, subscribes to config reloads (TLS trust re-read from the CA files, profiles
// re-applied) and starts the scheduler. stop() runs after
// serving stopped.

#include <memory>

#include "common/result.h"
#include "daemon/app/daemon_context.h"

namespace wpe {

class AgentModules {
 public:
  static Result<std::shared_ptr<AgentModules>> build(DaemonContext& context);
  ~AgentModules();
  // A stop begins: cancel pending logins and retry waits so serving threads finish quickly.
  void stopping();
  void stop();

  struct Parts;

 private:
  explicit AgentModules(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace wpe
