#pragma once
// Mutex and LockGuard: std::mutex and a scoped lock with the clang thread-safety annotations
// (common/thread_annotations.h), so members can say GUARDED_BY(mutex_) and the clang tree
// checks every access. CondVar (common/cond_var.h) waits on a Mutex.
//
// LockGuard holds its Mutex from construction to destruction, except between an unlock() and
// the next lock() (a function that drops the lock around I/O says so to the analysis).
// Neither is copyable; both are as cheap as std::mutex / std::unique_lock.

#include <mutex>

#include "common/thread_annotations.h"

namespace wpe {

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mutex_.lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }

 private:
  friend class CondVar;  // waits on the std::mutex itself
  std::mutex mutex_;
};

class SCOPED_CAPABILITY LockGuard {
 public:
  explicit LockGuard(Mutex& mutex) ACQUIRE(mutex) : mutex_(mutex) { mutex_.lock(); }
  ~LockGuard() RELEASE() {
    if (held_) mutex_.unlock();
  }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

  void unlock() RELEASE() {
    mutex_.unlock();
    held_ = false;
  }
  void lock() ACQUIRE() {
    mutex_.lock();
    held_ = true;
  }

 private:
  Mutex& mutex_;
  bool held_ = true;
};

}  // namespace wpe
