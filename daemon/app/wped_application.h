#pragma once
// WpedApplication: wped's POCO ServerApplication, run in the foreground. Wiring only:
// process hygiene, logging, options (--config, --socket, --help, --version), config, the
// socket (own or systemd's), the router with the core endpoints and every module, the server,
// sd_notify and the watchdog; then it waits for SIGTERM/SIGINT/SIGQUIT (stop) or SIGHUP
// (reload) and stops cleanly. POST /v1/shutdown raises SIGTERM at ourselves.
//
// Exit codes (sysexits): 0 clean stop, 64 usage, 69 already running, 71 OS error,
// 77 socket directory refused, 78 bad config or no XDG_RUNTIME_DIR.

#include <Poco/Util/ServerApplication.h>

#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "daemon/app/daemon_context.h"

namespace wpe {

class WpedApplication : public Poco::Util::ServerApplication {
 public:
  WpedApplication();

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const ArgVec& args) override;

 private:
  // Where later waves construct their modules and register their routes. Runs after the
  // core endpoints are registered and before serving starts; a failure stops wped (exit 71).
  Status buildModules(DaemonContext& context);
  Status reload(DaemonContext& context);

  std::optional<std::string> configOption_;
  std::optional<std::string> socketOption_;
  bool helpRequested_ = false;
  bool versionRequested_ = false;
  std::mutex reloadMutex_;
};

}  // namespace wpe
