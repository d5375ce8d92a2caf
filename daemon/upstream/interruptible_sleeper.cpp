#include "daemon/upstream/interruptible_sleeper.h"

namespace wpe {

bool InterruptibleSleeper::sleepFor(std::chrono::milliseconds duration) {
  LockGuard lock(mutex_);
  // Retry waits are short (≤ a minute) and measured on the steady clock; a suspend during
  // one only makes the retry later, never earlier.
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (!interrupted_ && cv_.waitUntil(mutex_, deadline)) {
  }
  return !interrupted_;
}

void InterruptibleSleeper::interrupt() {
  {
    LockGuard lock(mutex_);
    interrupted_ = true;
  }
  cv_.notifyAll();
}

}  // namespace wpe
