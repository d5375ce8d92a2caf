// wpe-sandbox: the HTTPS stand-in for the WP Engine API (docs/sandbox.md).
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <signal.h>
#include <sys/stat.h>

#include <iostream>

#include "tests/sandbox/options.h"
#include "tests/sandbox/sandbox_app.h"

int main(int argc, char** argv) {
  // Before any thread exists: SIGTERM/SIGINT are taken with sigwait() by the main thread only,
  // and a client hanging up mid-response must not kill the server.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  umask(077);

  auto options = wpe::Options::parse(argc, argv);
  if (!options) {
    std::cerr << "wpe-sandbox: " << options.error().message << "\n";
    return 2;
  }
  Poco::AutoPtr<Poco::PatternFormatter> formatter(
      new Poco::PatternFormatter("wpe-sandbox: %p: %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(
      new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel(std::cerr)));
  Poco::Logger& logger = Poco::Logger::get("wpe-sandbox");
  logger.setChannel(channel);
  logger.setLevel(Poco::Message::PRIO_INFORMATION);
  try {
    return wpe::SandboxApp(std::move(*options), logger).run();
  } catch (const std::exception& e) {
    logger.fatal("%s", std::string(e.what()));
    return 1;
  }
}
