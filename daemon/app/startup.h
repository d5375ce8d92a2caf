#pragma once
// Startup: what wped settles on the main thread before it builds anything, in this order —
// the socket systemd passed (if any), the configuration file's location and content, the log
// level, then the listening socket (systemd's, or bound here). A configuration that does not
// load under socket activation is served by ConfigErrorMode until it is fixed (or wped is
// stopped); that server then goes on serving the same socket and travels in `errorMode`.
//
// prepare() returns either a Startup or a StartupExit: the exit code wped ends with and the
// message to log as fatal (empty for a clean stop before the file was fixed). The codes are
// POCO's sysexits (docs/interface.md, "wped exit codes"): EXIT_CONFIG for a bad configuration,
// no XDG_RUNTIME_DIR or a bad socket activation; EXIT_UNAVAILABLE when another wped answers on
// the socket; EXIT_NOPERM when the socket directory is refused; EXIT_OSERR otherwise.
// Call once, before any thread exists: it edits the environment (socket activation) and the
// umask (binding).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "common/paths.h"
#include "daemon/app/config_error_mode.h"
#include "daemon/config/daemon_config.h"
#include "daemon/localapi/listen_socket.h"

namespace Poco {
class Logger;
}

namespace wpe {

class Notifier;

struct StartupExit {
  int code = 0;
  std::string message;  // logged as fatal when not empty
};

struct Startup {
  struct Options {
    std::optional<std::string> config;  // --config
    std::optional<std::string> socket;  // --socket
  };

  static std::variant<Startup, StartupExit> prepare(Poco::Logger& logger, Notifier& notifier,
                                                    const Options& options,
                                                    std::function<int()> waitForSignal);

  ConfigLocation location;
  DaemonConfig config;
  // Bound or adopted; when errorMode is set, only its path (errorMode's server owns the fd).
  ListenSocket listening;
  std::unique_ptr<ConfigErrorMode> errorMode;
};

}  // namespace wpe
