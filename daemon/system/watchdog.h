#pragma once
// Watchdog: sends WATCHDOG=1 every interval/2, but only after a successful self-request
// (GET /v1/ping through the real socket), so systemd restarts a daemon whose serving side
// hangs even though the process is alive.
//
// start() launches its thread (a no-op when `interval` is zero); stop() joins it.
// Not copyable; start/stop from one thread.

#include <chrono>
#include <string>
#include <thread>

#include "common/cond_var.h"
#include "common/mutex.h"

namespace Poco {
class Logger;
}

namespace wpe {

class Notifier;

class Watchdog {
 public:
  Watchdog(Poco::Logger& logger, Notifier& notifier, std::string socketPath,
           std::chrono::microseconds interval);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void start();
  void stop();

 private:
  void loop();

  Poco::Logger& logger_;
  Notifier& notifier_;
  std::string socketPath_;
  std::chrono::microseconds interval_;
  Mutex mutex_;
  CondVar wake_;
  bool stop_ GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace wpe
