#include "daemon/app/config_error_mode.h"

#include <Poco/Logger.h>
#include <signal.h>
#include <unistd.h>

#include "daemon/localapi/config_error_endpoints.h"
#include "daemon/localapi/listen_socket.h"
#include "daemon/localapi/local_api_server.h"
#include "daemon/localapi/router.h"
#include "daemon/system/notifier.h"
#include "daemon/system/watchdog.h"

namespace wpe {
namespace {

std::string statusLine(const Error& error) { return "configuration error: " + error.message; }

}  // namespace

ConfigErrorMode::ConfigErrorMode(Deps deps) : deps_(std::move(deps)) {}

ConfigErrorMode::~ConfigErrorMode() { stop(); }

Result<std::optional<DaemonConfig>> ConfigErrorMode::serveUntilFixed(int listeningFd,
                                                                     const Error& loadError) {
  auto listening = adoptListenSocket(listeningFd);
  if (!listening) return listening.error();
  socketPath_ = listening->path;

  Poco::Logger& logger = deps_.logger;
  // Both requests come back to this thread's sigwait: SIGHUP once a reload succeeded (the
  // modules are built on the main thread, not on a serving one), SIGTERM for a shutdown.
  endpoints_ = std::make_unique<ConfigErrorEndpoints>(
      ConfigErrorEndpoints::Deps{deps_.configPath, deps_.load, [] { ::kill(::getpid(), SIGHUP); },
                                 [] { ::kill(::getpid(), SIGTERM); },
                                 // Both reload paths (wpectl reload, SIGHUP) end here: the
                                 // journal and `systemctl --user status` show the new error.
                                 [&logger, this](const Error& error) {
                                   logger.error("reload: %s", error.message);
                                   deps_.notifier.ready(statusLine(error));
                                 }},
      loadError);
  router_ = std::make_unique<Router>(logger);
  endpoints_->registerRoutes(*router_);
  server_ = std::make_unique<LocalApiServer>(logger, *router_, std::move(listening.value()));
  if (auto ok = server_->start(); !ok) return ok.error();
  logger.error("%s (answering every request with this until it is fixed)",
               endpoints_->current().message);
  deps_.notifier.ready(statusLine(endpoints_->current()));

  // Alive and answering: systemd's watchdog must not restart us into the same error.
  std::optional<Watchdog> watchdog;
  if (auto interval = deps_.notifier.watchdogInterval()) {
    watchdog.emplace(logger, deps_.notifier, socketPath_, *interval);
    watchdog->start();
  }

  std::optional<DaemonConfig> fixed;
  for (;;) {
    int sig = deps_.waitForSignal();
    if (sig != SIGHUP) {
      logger.information("stopping (signal %d) with the configuration still in error", sig);
      deps_.notifier.stopping();
      break;
    }
    fixed = endpoints_->takeFixed();
    if (fixed) break;
    // A SIGHUP from outside (`systemctl --user reload wped`): read the file here.
    deps_.notifier.reloading();
    if (auto ok = endpoints_->reload(); !ok) continue;  // logged and notified by the hook
    fixed = endpoints_->takeFixed();
    break;
  }
  // The watchdog's self-request would wait for the hand-over; the normal daemon starts its own.
  if (watchdog) watchdog->stop();
  if (!fixed) {
    stop();
    return std::optional<DaemonConfig>();
  }
  logger.information("configuration fixed; starting normally on the same socket");
  return fixed;
}

void ConfigErrorMode::handOver(const Router& normal) {
  if (endpoints_) endpoints_->handOver(normal);
}

void ConfigErrorMode::stop() {
  if (endpoints_) endpoints_->close();
  if (server_) server_->stop();
  server_.reset();
}

}  // namespace wpe
