#pragma once
// WpedApplication: wped's POCO ServerApplication, run in the foreground. Parses the options
// (--config, --socket, --help, --version), lets Startup settle the configuration and the
// socket, builds and starts the Daemon, then waits for SIGTERM/SIGINT/SIGQUIT (stop) or
// SIGHUP (reload) and stops it. POST /v1/shutdown raises SIGTERM at ourselves.
//
// Exit codes are POCO's Application::EXIT_* (sysexits; docs/interface.md, "wped exit
// codes"): EXIT_OK 0 clean stop, EXIT_USAGE 64, EXIT_UNAVAILABLE 69 already running,
// EXIT_OSERR 71 OS error, EXIT_NOPERM 77 socket directory refused, EXIT_CONFIG 78 bad config,
// no XDG_RUNTIME_DIR or bad socket activation.

#include <Poco/Util/ServerApplication.h>

#include <optional>
#include <string>

namespace wpe {

class WpedApplication : public Poco::Util::ServerApplication {
 public:
  WpedApplication();

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const ArgVec& args) override;

 private:
  void printHelp();

  std::optional<std::string> configOption_;
  std::optional<std::string> socketOption_;
  bool helpRequested_ = false;
  bool versionRequested_ = false;
};

}  // namespace wpe
