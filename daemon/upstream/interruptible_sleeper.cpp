#include "daemon/upstream/interruptible_sleeper.h"

namespace wpe {

bool InterruptibleSleeper::sleepFor(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  // Retry waits are short (≤ a minute) and measured on the steady clock; a suspend during
  // one only makes the retry later, never earlier.
  cv_.wait_for(lock, duration, [this] { return interrupted_; });
  return !interrupted_;
}

void InterruptibleSleeper::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

}  // namespace wpe
