#pragma once
// Watchdog: sends WATCHDOG=1 every interval/2, but only after a successful self-request
// (GET /v1/ping through the real socket), so systemd restarts a daemon whose serving side
// hangs even though the process is alive.
//
// start() launches its thread (a no-op when `interval` is zero); stop() joins it.
// Not copyable; start/stop from one thread.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

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
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace wpe
