#include "daemon/system/watchdog.h"

#include <Poco/Logger.h>

#include "common/unix_http_client.h"
#include "daemon/system/notifier.h"

namespace wpe {

Watchdog::Watchdog(Poco::Logger& logger, Notifier& notifier, std::string socketPath,
                   std::chrono::microseconds interval)
    : logger_(logger),
      notifier_(notifier),
      socketPath_(std::move(socketPath)),
      interval_(interval) {}

Watchdog::~Watchdog() { stop(); }

void Watchdog::start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void Watchdog::stop() {
  {
    LockGuard lock(mutex_);
    stop_ = true;
  }
  wake_.notifyAll();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::loop() {
  const auto period = interval_ / 2;
  // The self-request must finish well inside the period, or the ping would come too late.
  UnixHttpClient client(socketPath_,
                        std::chrono::duration_cast<std::chrono::milliseconds>(period / 2) +
                            std::chrono::milliseconds(1));
  bool failing = false;
  LockGuard lock(mutex_);
  while (!stop_) {
    lock.unlock();
    auto reply = client.request("GET", "/v1/ping");
    if (reply && reply->status == 200) {
      notifier_.watchdog();
      if (failing) logger_.notice("watchdog self-check passes again");
      failing = false;
    } else if (!failing) {
      failing = true;
      logger_.error("watchdog self-check failed (%s); not pinging systemd",
                    reply ? "HTTP " + std::to_string(reply->status) : reply.error().message);
    }
    lock.lock();
    const auto deadline = std::chrono::steady_clock::now() + period;
    while (!stop_ && wake_.waitUntil(mutex_, deadline)) {
    }
  }
}

}  // namespace wpe
