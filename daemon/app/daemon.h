#pragma once
// Daemon: wped at run time, built from what Startup settled (the configuration and the
// listening socket). Wiring only: its members are the daemon's modules, declared in
// dependency order (facts and the router, the upstream stack, the cache and audit trail, the
// credential store, the profiles and their scheduler, the endpoints, the server, the
// watchdog), so they are constructed in that order and destroyed in reverse.
//
// Lifecycle, all on the main thread except reload():
//  - the constructor builds every module and registers the routes; it starts no thread and
//    cannot fail (an unusable cache or audit trail is reported by status, not fatal);
//  - start() starts the background threads (deadline watch, scheduler, audit writer), then
//    serves: it hands ConfigErrorMode's router over to ours when that server already serves
//    the socket, else starts its own server; then READY=1 and the watchdog. An Error when
//    the server cannot start (wped exits EXIT_OSERR);
//  - reload() re-reads the configuration (SIGHUP on the main thread, POST /v1/reload on a
//    serving thread; one at a time). A bad file keeps the previous configuration: the Error
//    says why;
//  - stop() is the shutdown, in this order: STOPPING=1, the watchdog, every upstream
//    exchange and retry wait cancelled and pending logins ended (so serving threads finish
//    within moments), serving stopped (running requests answered), the scheduler with its
//    profile workers, the audit writer (the last calls are written), the deadline watch.
//    The destructor stops the background threads when stop() was not called.

#include <Poco/Logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "common/result.h"
#include "daemon/app/startup.h"
#include "daemon/audit/proc_peer_resolver.h"
#include "daemon/auth/login_registry.h"
#include "daemon/config/config_holder.h"
#include "daemon/time/clock.h"
#include "daemon/localapi/core_endpoints.h"
#include "daemon/localapi/local_api_server.h"
#include "daemon/localapi/router.h"
#include "daemon/profiles/request_coalescer.h"
#include "daemon/system/watchdog.h"
#include "daemon/upstream/deadline_watch.h"
#include "daemon/upstream/interruptible_sleeper.h"
#include "daemon/upstream/poco_http_transport.h"
#include "daemon/upstream/rate_limit_gate.h"
#include "daemon/upstream/retry_policy.h"
#include "daemon/upstream/ssl_initializer.h"

namespace wpe {

class ApiProxy;
class AuditEndpoints;
class AuditLog;
class CacheStore;
class CredentialStore;
class LoginRequiredHook;
class Notifier;
class PageFetcher;
class ProfileEndpoints;
class ProfileRegistry;
class Scheduler;
class UpstreamClient;
struct ProfileServices;

class Daemon {
 public:
  // `logger` and `notifier` must outlive the Daemon. `configOption` (--config) is resolved
  // again at each reload, like at start.
  Daemon(Poco::Logger& logger, Notifier& notifier, Startup startup,
         std::optional<std::string> configOption);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  Status start();
  Status reload();
  void stop();

 private:
  void stopBackgroundThreads();

  // What Startup settled, and the daemon's own facts.
  Poco::Logger& logger_;
  Notifier& notifier_;
  const std::optional<std::string> configOption_;
  const std::string configPath_;  // resolved, even when the file does not exist
  const std::string socketPath_;
  const bool socketFromSystemd_;
  const std::chrono::steady_clock::time_point startedAt_ = std::chrono::steady_clock::now();
  ConfigHolder config_;
  const std::string cacheDir_;  // resolved from the initial config
  Router router_;

  // The upstream stack: every exchange has a deadline; retries wait on an interruptible sleep.
  SystemClock clock_;
  DeadlineWatch watch_;  // every upstream exchange's deadline; cancelAll() when stopping
  SslInitializer ssl_;
  PocoHttpTransport transport_;
  RetryPolicy retryPolicy_;
  InterruptibleSleeper sleeper_;
  RateLimitGate rateLimits_{clock_};
  RequestCoalescer coalescer_;
  std::unique_ptr<UpstreamClient> upstream_;
  std::unique_ptr<PageFetcher> fetcher_;

  // Storage: the site cache and, on its own connection to the same file, the audit trail.
  std::unique_ptr<CacheStore> cache_;
  ProcPeerResolver peerResolver_;
  std::unique_ptr<AuditLog> audit_;  // outlives the endpoints that record into it
  std::unique_ptr<AuditEndpoints> auditEndpoints_;

  // Credentials and the profiles that use them.
  std::unique_ptr<CredentialStore> store_;
  std::unique_ptr<CredentialStore> reportingStore_;  // wraps store_; what the profiles use
  std::unique_ptr<LoginRegistry> logins_;
  std::unique_ptr<LoginRequiredHook> hook_;  // only with on_login_required
  std::unique_ptr<ProfileServices> services_;
  // registry_ and scheduler_ are reached from callbacks handed out before they exist (a
  // store report, a profile's wake): those check for null.
  std::unique_ptr<ProfileRegistry> registry_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ApiProxy> proxy_;
  std::unique_ptr<ProfileEndpoints> endpoints_;
  std::unique_ptr<CoreEndpoints> core_;

  // Serving: ConfigErrorMode's server (when it served the socket first) or our own.
  std::unique_ptr<ConfigErrorMode> errorMode_;
  ListenSocket listening_;  // handed to server_ by start()
  std::optional<LocalApiServer> server_;
  std::optional<Watchdog> watchdog_;

  Mutex reloadMutex_;  // one reload at a time (SIGHUP and POST /v1/reload)
  bool threadsStopped_ = false;
};

}  // namespace wpe
