#pragma once
// ConfigErrorEndpoints: the routes wped serves while its configuration does not load and
// systemd started it by socket activation (ConfigErrorMode). Exiting there would leave the
// user with a reset connection and, after a few restarts, a socket unit in start-limit-hit;
// answering every request with the loader's message shows it where the command was typed.
//
//   GET  /v1/ping      {"ok":true} — the process is alive (the watchdog's self-check)
//   POST /v1/reload    re-reads the file: still bad → 503 config_error with the new message
//                      (and onStillBroken(it), as for SIGHUP);
//                      good → 200 {"reloaded":true,…}, then onFixed() (wped starts its modules)
//   POST /v1/shutdown  202, then requestShutdown() — a clean stop, as normally
//   anything else      503 config_error (X-Wped-Error: config_error) with the message,
//                      GET /v1/status included
//
// Hand-over: once the file loaded, requests wait (up to kSwitchWait) until handOver(router)
// and are then dispatched by that router — the normal daemon's — on the same connection and
// server: no socket is closed and no request is answered with a stale error. close() (wped
// stops instead) releases them with 503 unavailable.
//
// Thread-safe (one mutex). `normal` must outlive every request dispatched to it.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "daemon/config/daemon_config.h"
#include "daemon/localapi/router.h"

namespace wpe {

class ConfigErrorEndpoints {
 public:
  struct Deps {
    std::string configPath;                      // the file to fix, named in every message
    std::function<Result<DaemonConfig>()> load;  // reads and validates the file again
    std::function<void()> onFixed;               // after POST /v1/reload loaded the file
    std::function<void()> requestShutdown;
    // After every reload() that still fails (POST /v1/reload and SIGHUP alike), with the new
    // current() error, once, on the reloading thread: ConfigErrorMode logs it and tells
    // systemd (STATUS=). May be empty.
    std::function<void(const Error&)> onStillBroken{};
  };

  // How long a request waits for the normal daemon after the file loaded: building the
  // modules takes milliseconds; this only bounds a bug.
  static constexpr std::chrono::seconds kSwitchWait{30};

  ConfigErrorEndpoints(Deps deps, const Error& initial);
  void registerRoutes(Router& router);

  // The error every request gets now: the loader's message and what to do.
  Error current() const EXCLUDES(mutex_);
  // Re-reads the file (POST /v1/reload, SIGHUP). OK once it loads: takeFixed() then has the
  // configuration. Otherwise the new error, which becomes current().
  Status reload() EXCLUDES(mutex_);
  // The configuration a successful reload() read; nullopt before that (or once taken).
  std::optional<DaemonConfig> takeFixed() EXCLUDES(mutex_);

  void handOver(const Router& normal) EXCLUDES(mutex_);
  void close() EXCLUDES(mutex_);

 private:
  enum class Phase { Broken, Fixed, Normal, Closed };
  // For every route: the normal router's answer once handed over (waiting while Fixed),
  // 503 unavailable once closed, nullopt while the file is still broken.
  std::optional<ApiResponse> delegated(ApiRequest& request) EXCLUDES(mutex_);
  ApiResponse reloadRoute(ApiRequest& request);
  // reload(), answering the JSON summary of the new configuration.
  Result<std::string> reloadSummary();

  Deps deps_;
  mutable Mutex mutex_;
  CondVar phaseChanged_;
  Phase phase_ GUARDED_BY(mutex_) = Phase::Broken;
  Error error_ GUARDED_BY(mutex_);
  std::optional<DaemonConfig> fixed_ GUARDED_BY(mutex_);
  const Router* normal_ GUARDED_BY(mutex_) = nullptr;
};

}  // namespace wpe
