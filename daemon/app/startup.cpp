#include "daemon/app/startup.h"

#include <Poco/Logger.h>
#include <Poco/Util/Application.h>

#include "daemon/config/config_loader.h"
#include "daemon/system/socket_activation.h"

namespace wpe {

using Exit = Poco::Util::Application::ExitCode;

std::variant<Startup, StartupExit> Startup::prepare(Poco::Logger& logger, Notifier& notifier,
                                                    const Options& options,
                                                    std::function<int()> waitForSignal) {
  auto activated = takeActivatedSocket();
  if (!activated) return StartupExit{Exit::EXIT_CONFIG, activated.error().message};
  auto location = resolveConfigPath(options.config, processEnv());
  if (!location) return StartupExit{Exit::EXIT_CONFIG, location.error().message};
  Startup startup;
  startup.location = location.value();
  auto config = ConfigLoader(logger).load(startup.location);
  // Started by systemd for a client that is waiting: show it the error instead of exiting.
  if (!config && activated.value()) {
    startup.errorMode = std::make_unique<ConfigErrorMode>(ConfigErrorMode::Deps{
        logger, notifier, startup.location.path,
        [&logger, where = startup.location] { return ConfigLoader(logger).load(where); },
        std::move(waitForSignal)});
    auto fixed = startup.errorMode->serveUntilFixed(*activated.value(), config.error());
    if (!fixed) return StartupExit{Exit::EXIT_OSERR, fixed.error().message};
    if (!fixed.value()) return StartupExit{Exit::EXIT_OK, ""};  // stopped before it was fixed
    config = std::move(*fixed.value());
  }
  if (!config) return StartupExit{Exit::EXIT_CONFIG, config.error().message};
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(config->logLevel));
  startup.config = std::move(config.value());

  if (startup.errorMode) {
    startup.listening = ListenSocket{{}, startup.errorMode->socketPath(), false};
    return startup;
  }
  if (activated.value()) {
    auto adopted = adoptListenSocket(*activated.value());
    if (!adopted) return StartupExit{Exit::EXIT_CONFIG, adopted.error().message};
    startup.listening = std::move(adopted.value());
    return startup;
  }
  auto path = resolveSocketPath(options.socket, processEnv());
  if (!path) return StartupExit{Exit::EXIT_CONFIG, path.error().message};
  auto bound = bindListenSocket(path.value());  // before any thread: it sets the umask
  if (!bound) {
    const ErrorCode code = bound.error().code;
    return StartupExit{code == ErrorCode::Conflict     ? Exit::EXIT_UNAVAILABLE
                       : code == ErrorCode::BadRequest ? Exit::EXIT_NOPERM
                                                       : Exit::EXIT_OSERR,
                       bound.error().message};
  }
  startup.listening = std::move(bound.value());
  return startup;
}

}  // namespace wpe
