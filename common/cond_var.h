#pragma once
// CondVar: std::condition_variable over a wpe::Mutex (common/mutex.h). The waits REQUIRE the
// mutex, so the clang analysis sees the caller's loop condition read under it; write the
// predicate as that loop (`while (!done_) cv_.wait(mutex_);`), not as a lambda, which the
// analysis would check as a function of its own, without the lock.
// Spurious wake-ups happen, as with std::condition_variable: always wait in a loop.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "common/mutex.h"

namespace wpe {

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void notifyOne() { cv_.notify_one(); }
  void notifyAll() { cv_.notify_all(); }

  // Releases `mutex` while waiting; holds it again on return.
  void wait(Mutex& mutex) REQUIRES(mutex) {
    std::unique_lock<std::mutex> lock(mutex.mutex_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still locked: the caller's guard owns it
  }

  // As wait(); false once `deadline` passed (the caller re-checks its condition either way).
  template <class Clock, class Duration>
  bool waitUntil(Mutex& mutex, const std::chrono::time_point<Clock, Duration>& deadline)
      REQUIRES(mutex) {
    std::unique_lock<std::mutex> lock(mutex.mutex_, std::adopt_lock);
    const bool notified = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return notified;
  }

 private:
  std::condition_variable cv_;
};

}  // namespace wpe
