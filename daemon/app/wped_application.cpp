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
#include "daemon/app/daemon.h"
#include "daemon/app/run_wped.h"
#include "daemon/app/startup.h"
#include "daemon/system/journal_stream.h"
#include "daemon/system/notifier.h"
#include "daemon/system/process_hygiene.h"
#include "daemon/system/stderr_journal_channel.h"
#include "daemon/system/memory_policy.h"
#include "version.h"

namespace wpe {
namespace {

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

void WpedApplication::printHelp() {
  Poco::Util::HelpFormatter help(options());
  help.setUnixStyle(true);
  help.setCommand("wped");
  help.setUsage("[--config PATH] [--socket PATH]");
  help.setHeader(
      "wped: the WP Engine API agent. Holds credentials in the keyring, keeps tokens "
      "fresh, caches the site list and serves it on a Unix socket.");
  help.format(std::cout);
}

int WpedApplication::main(const ArgVec& args) {
  if (helpRequested_) {
    printHelp();
    return EXIT_OK;
  }
  if (versionRequested_) {
    std::cout << "wped " << kVersion << "\n";
    return EXIT_OK;
  }
  Poco::Logger& logger = Poco::Logger::get("wped");
  if (!args.empty()) {
    logger.fatal("unexpected argument \"%s\"; see wped --help", escapeForLog(args.front()));
    return EXIT_USAGE;
  }
  SystemdNotifier notifier;
  auto startup = Startup::prepare(logger, notifier, {configOption_, socketOption_}, waitForSignal);
  if (const auto* exit = std::get_if<StartupExit>(&startup)) {
    if (!exit->message.empty()) logger.fatal("%s", exit->message);
    return exit->code;
  }
  {
    Daemon daemon(logger, notifier, std::move(std::get<Startup>(startup)), configOption_);
    if (auto ok = daemon.start(); !ok) {
      logger.fatal("%s", ok.error().message);
      return EXIT_OSERR;
    }
    int sig = waitForSignal();
    for (; sig == SIGHUP; sig = waitForSignal()) (void)daemon.reload();  // SIGHUP: reload
    logger.information("stopping (signal %d)", sig);
    daemon.stop();
  }
  logger.information("stopped");
  return EXIT_OK;
}

int runWped(int argc, char** argv) {
  // Before anything else, and before any thread: umask, no core dumps, signals.
  if (auto ok = applyProcessHygiene(); !ok) {
    std::cerr << "wped: " << ok.error().message << "\n";
    return Poco::Util::Application::EXIT_OSERR;
  }
  // Also before any thread; a refusal only costs memory (memory_policy.h).
  static_cast<void>(applyMemoryPolicy());
  WpedApplication app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& e) {
    std::cerr << "wped: " << e.displayText() << " (see wped --help)\n";
    return Poco::Util::Application::EXIT_USAGE;
  }
  // After the Application set up its own startup console logger: every logger, ours.
  Poco::AutoPtr<StderrJournalChannel> channel(
      new StderrJournalChannel(2, stderrIsJournal(2, std::getenv("JOURNAL_STREAM"))));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::setChannel("", channel);
  return static_cast<Poco::Util::Application&>(app).run();
}

}  // namespace wpe
