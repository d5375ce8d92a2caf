#pragma once
// InterruptibleSleeper: the real Sleeper. Waits on a condition variable so interrupt()
// (called once at shutdown) wakes every sleeper at once and makes later waits return
// immediately. Thread-safe; share one instance per daemon.

#include <chrono>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "daemon/upstream/sleeper.h"

namespace wpe {

class InterruptibleSleeper final : public Sleeper {
 public:
  bool sleepFor(std::chrono::milliseconds duration) EXCLUDES(mutex_) override;
  void interrupt() EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  CondVar cv_;
  bool interrupted_ GUARDED_BY(mutex_) = false;
};

}  // namespace wpe
