#include "daemon/app/wped_application.h"

#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "common/log_escape.h"
#include "common/paths.h"
#include "daemon/app/agent_modules.h"
#include "daemon/app/config_error_mode.h"
#include "daemon/app/run_wped.h"
#include "daemon/config/config_loader.h"
#include "daemon/localapi/core_endpoints.h"
#include "daemon/localapi/listen_socket.h"
#include "daemon/localapi/local_api_server.h"
#include "daemon/system/journal_stream.h"
#include "daemon/system/process_hygiene.h"
#include "daemon/system/socket_activation.h"
#include "daemon/system/stderr_journal_channel.h"
#include "daemon/system/memory_policy.h"
#include "daemon/system/watchdog.h"
#include "version.h"

namespace wpe {
namespace {

// sysexits.h values, spelled out: they are part of how systemd and scripts read our exit.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;
constexpr int kExitUnavailable = 69;
constexpr int kExitOsError = 71;
constexpr int kExitNoPerm = 77;
constexpr int kExitConfig = 78;

// Blocks until a termination or reload signal arrives (they are blocked in every thread by
// applyProcessHygiene, so sigwait is the only receiver).
int waitForSignal() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, sig);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

std::string describe(const DaemonConfig& config, const std::string& path) {
  return "serving on " + path + " with " + std::to_string(config.profiles.size()) + " profile(s)";
}

}  // namespace

WpedApplication::WpedApplication() { setUnixOptions(true); }

void WpedApplication::defineOptions(Poco::Util::OptionSet& options) {
  // Deliberately not ServerApplication's: no --daemon, --pidfile; systemd supervises us.
  options.addOption(Poco::Util::Option("config", "c", "read the configuration from PATH")
                        .required(false)
                        .repeatable(false)
                        .argument("PATH"));
  options.addOption(Poco::Util::Option("socket", "s", "listen on the Unix socket PATH")
                        .required(false)
                        .repeatable(false)
                        .argument("PATH"));
  options.addOption(
      Poco::Util::Option("help", "h", "show this help").required(false).repeatable(false));
  options.addOption(
      Poco::Util::Option("version", "V", "print the version").required(false).repeatable(false));
}

void WpedApplication::handleOption(const std::string& name, const std::string& value) {
  if (name == "config")
    configOption_ = value;
  else if (name == "socket")
    socketOption_ = value;
  else if (name == "help")
    helpRequested_ = true;
  else if (name == "version")
    versionRequested_ = true;
}

Status WpedApplication::reload(DaemonContext& context) {
  std::lock_guard<std::mutex> lock(reloadMutex_);
  context.notifier.reloading();
  ConfigLoader loader(context.logger);
  auto location = resolveConfigPath(configOption_, processEnv());
  Result<DaemonConfig> next =
      location ? loader.load(location.value()) : Result<DaemonConfig>(location.error());
  auto current = context.config.current();
  if (!next) {
    context.logger.error("reload failed, keeping the previous configuration: %s",
                         next.error().message);
    context.notifier.ready("reload failed, previous configuration kept; " +
                           describe(*current, context.socketPath));
    return next.error();
  }
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(next->logLevel));
  context.config.replace(std::move(next.value()));
  auto now = context.config.current();
  context.logger.information("configuration reloaded from %s: %z profile(s)",
                             now->sourcePath.empty() ? std::string("defaults") : now->sourcePath,
                             now->profiles.size());
  context.notifier.ready(describe(*now, context.socketPath));
  return {};
}

Status WpedApplication::buildModules(DaemonContext& context) {
  auto modules = AgentModules::build(context);
  if (!modules) return modules.error();
  std::shared_ptr<AgentModules> agent = modules.value();
  context.keepAlive.push_back(agent);
  context.onStopping.push_back([agent] { agent->stopping(); });
  context.onStop.push_back([agent] { agent->stop(); });
  return {};
}

int WpedApplication::main(const ArgVec& args) {
  if (helpRequested_) {
    Poco::Util::HelpFormatter help(options());
    help.setUnixStyle(true);
    help.setCommand("wped");
    help.setUsage("[--config PATH] [--socket PATH]");
    help.setHeader(
        "wped: the WP Engine API agent. Holds credentials in the keyring, keeps tokens "
        "fresh, caches the site list and serves it on a Unix socket.");
    help.format(std::cout);
    return kExitOk;
  }
  if (versionRequested_) {
    std::cout << "wped " << kVersion << "\n";
    return kExitOk;
  }
  Poco::Logger& logger = Poco::Logger::get("wped");
  if (!args.empty()) {
    logger.fatal("unexpected argument \"%s\"; see wped --help", escapeForLog(args.front()));
    return kExitUsage;
  }

  auto activated = takeActivatedSocket();
  if (!activated) {
    logger.fatal("%s", activated.error().message);
    return kExitConfig;
  }
  auto location = resolveConfigPath(configOption_, processEnv());
  if (!location) {
    logger.fatal("%s", location.error().message);
    return kExitConfig;
  }
  ConfigLoader loader(logger);
  SystemdNotifier notifier;
  auto config = loader.load(location.value());
  // Started by systemd for a client that is waiting: show it the error instead of exiting.
  std::optional<ConfigErrorMode> errorMode;
  if (!config && activated.value()) {
    errorMode.emplace(ConfigErrorMode::Deps{
        logger, notifier, location->path,
        [&loader, &location] { return loader.load(location.value()); }, waitForSignal});
    auto fixed = errorMode->serveUntilFixed(*activated.value(), config.error());
    if (!fixed) {
      logger.fatal("%s", fixed.error().message);
      return kExitOsError;
    }
    if (!fixed.value()) return kExitOk;  // stopped before the file was fixed
    config = std::move(*fixed.value());
  }
  if (!config) {
    logger.fatal("%s", config.error().message);
    return kExitConfig;
  }
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(config->logLevel));

  Result<ListenSocket> listening = Error(ErrorCode::Internal, "no socket");
  if (errorMode) {
    listening = ListenSocket{{}, errorMode->socketPath(), false};  // served by errorMode
  } else if (activated.value()) {
    listening = adoptListenSocket(*activated.value());
    if (!listening) {
      logger.fatal("%s", listening.error().message);
      return kExitConfig;
    }
  } else {
    auto path = resolveSocketPath(socketOption_, processEnv());
    if (!path) {
      logger.fatal("%s", path.error().message);
      return kExitConfig;
    }
    listening = bindListenSocket(path.value());  // before any thread: it sets the umask
    if (!listening) {
      logger.fatal("%s", listening.error().message);
      if (listening.error().code == ErrorCode::Conflict) return kExitUnavailable;
      return listening.error().code == ErrorCode::BadRequest ? kExitNoPerm : kExitOsError;
    }
  }
  const std::string socketPath = listening->path;
  const bool fromSystemd = !listening->ownsPath;

  ConfigHolder holder(std::move(config.value()));
  Router router(logger);
  PlaceholderStatusProvider placeholder;
  DaemonContext context{logger,     holder,
                        router,     notifier,
                        socketPath, location->path,
                        {},         std::chrono::steady_clock::now(),
                        nullptr,    {},
                        {},         {}};
  auto cacheDir = resolveCacheDir(holder.current()->cacheDir, processEnv());
  if (cacheDir) context.cacheDir = cacheDir.value();
  context.statusProvider = &placeholder;

  CoreEndpoints core({holder, [&context]() -> StatusProvider& { return *context.statusProvider; },
                      socketPath, location->path, context.startedAt,
                      [this, &context] { return reload(context); },
                      [] { ::kill(::getpid(), SIGTERM); }});
  core.registerRoutes(router);
  if (auto built = buildModules(context); !built) {
    logger.fatal("%s", built.error().message);
    return kExitOsError;
  }

  std::optional<LocalApiServer> server;
  if (errorMode) {
    errorMode->handOver(router);  // the same server goes on serving, now the real routes
  } else {
    server.emplace(logger, router, std::move(listening.value()));
    if (auto ok = server->start(); !ok) {
      logger.fatal("%s", ok.error().message);
      return kExitOsError;
    }
  }
  logger.information("wped %s serving on %s%s (pid %d)", std::string(kVersion), socketPath,
                     std::string(fromSystemd ? " (socket from systemd)" : ""),
                     static_cast<int>(::getpid()));
  logger.information("configuration: %s", location->path + (holder.current()->sourcePath.empty()
                                                                ? std::string(" (absent: defaults)")
                                                                : std::string()));
  notifier.ready(describe(*holder.current(), socketPath));

  std::optional<Watchdog> watchdog;
  if (auto interval = notifier.watchdogInterval()) {
    watchdog.emplace(logger, notifier, socketPath, *interval);
    watchdog->start();
  }

  for (;;) {
    int sig = waitForSignal();
    if (sig != SIGHUP) {
      logger.information("stopping (signal %d)", sig);
      break;
    }
    (void)reload(context);
  }
  notifier.stopping();
  if (watchdog) watchdog->stop();
  for (auto& hook : context.onStopping) hook();
  if (server) server->stop();
  if (errorMode) errorMode->stop();
  for (auto& hook : context.onStop) hook();
  while (!context.keepAlive.empty()) context.keepAlive.pop_back();
  logger.information("stopped");
  return kExitOk;
}

int runWped(int argc, char** argv) {
  // Before anything else, and before any thread: umask, no core dumps, signals.
  if (auto ok = applyProcessHygiene(); !ok) {
    std::cerr << "wped: " << ok.error().message << "\n";
    return kExitOsError;
  }
  // Also before any thread; a refusal only costs memory (memory_policy.h).
  static_cast<void>(applyMemoryPolicy());
  WpedApplication app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& e) {
    std::cerr << "wped: " << e.displayText() << " (see wped --help)\n";
    return kExitUsage;
  }
  // After the Application set up its own startup console logger: every logger, ours.
  Poco::AutoPtr<StderrJournalChannel> channel(
      new StderrJournalChannel(2, stderrIsJournal(2, std::getenv("JOURNAL_STREAM"))));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::setChannel("", channel);
  return static_cast<Poco::Util::Application&>(app).run();
}

}  // namespace wpe
