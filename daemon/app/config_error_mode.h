#pragma once
// ConfigErrorMode: what wped does when systemd started it by socket activation and the
// configuration does not load. Exiting (EX_CONFIG) would show the user only a reset
// connection, and systemd's restarts would soon put wped.socket into start-limit-hit ("is
// wped running?"); the message would live in the journal alone. Instead wped stays up:
// READY=1 with STATUS="configuration error: …" (shown by `systemctl --user status wped`), and
// every request is answered 503 config_error with the loader's message and what to do
// (ConfigErrorEndpoints). SIGTERM, SIGINT and SIGQUIT stop it at once.
//
// `wpectl reload` (or SIGHUP) re-reads the file; once it loads, serveUntilFixed() returns it,
// wped builds its modules and handOver()s its router: the server started here keeps serving
// the same socket for the rest of wped's life (nothing is closed or re-bound, so no client is
// dropped and none gets a stale error: requests in between wait for the hand-over).
//
// Run by hand (not socket-activated), wped still exits 78 with the message on stderr: the
// user sees it there. Used from the main thread only.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "daemon/config/daemon_config.h"

namespace Poco {
class Logger;
}

namespace wpe {

class Notifier;
class Router;
class ConfigErrorEndpoints;
class LocalApiServer;

class ConfigErrorMode {
 public:
  struct Deps {
    Poco::Logger& logger;
    Notifier& notifier;
    std::string configPath;
    std::function<Result<DaemonConfig>()> load;  // reads and validates the file again
    std::function<int()> waitForSignal;          // blocks; SIGINT/SIGTERM/SIGQUIT/SIGHUP
  };

  explicit ConfigErrorMode(Deps deps);
  ~ConfigErrorMode();  // stop()
  ConfigErrorMode(const ConfigErrorMode&) = delete;
  ConfigErrorMode& operator=(const ConfigErrorMode&) = delete;

  // Serves systemd's `listeningFd` with the error until the configuration loads (returns it)
  // or a stop signal arrives (nullopt; serving has stopped). An Error when the socket cannot
  // be served at all.
  Result<std::optional<DaemonConfig>> serveUntilFixed(int listeningFd, const Error& loadError);

  // From now on every request goes to `normal`, which must outlive stop().
  void handOver(const Router& normal);
  // Stops serving (waits for running requests). Idempotent.
  void stop();

  const std::string& socketPath() const { return socketPath_; }

 private:
  Deps deps_;
  std::string socketPath_;
  std::unique_ptr<ConfigErrorEndpoints> endpoints_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<LocalApiServer> server_;
};

}  // namespace wpe
