// The control case of thread_safety.rejects_unguarded: the same class with every access under
// its lock must compile, so a failure of unguarded.cpp is the analysis and not a broken include.
#include "common/cond_var.h"
#include "common/mutex.h"

namespace {

class Counter {
 public:
  void add() EXCLUDES(mutex_) {
    wpe::LockGuard lock(mutex_);
    ++value_;
    lock.unlock();
    changed_.notifyAll();
  }
  int waitForNonZero() EXCLUDES(mutex_) {
    wpe::LockGuard lock(mutex_);
    while (value_ == 0) changed_.wait(mutex_);
    return valueLocked();
  }

 private:
  int valueLocked() const REQUIRES(mutex_) { return value_; }

  mutable wpe::Mutex mutex_;
  wpe::CondVar changed_;
  int value_ GUARDED_BY(mutex_) = 0;
};

}  // namespace

int main() {
  Counter counter;
  counter.add();
  return counter.waitForNonZero() == 1 ? 0 : 1;
}
