#pragma once
// InterruptibleSleeper: the real Sleeper. Waits on a condition variable so interrupt()
// (called once at shutdown) wakes every sleeper at once and makes later waits return
// immediately. Thread-safe; share one instance per daemon.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "daemon/upstream/sleeper.h"

namespace wpe {

class InterruptibleSleeper final : public Sleeper {
 public:
  bool sleepFor(std::chrono::milliseconds duration) override;
  void interrupt();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool interrupted_ = false;
};

}  // namespace wpe
