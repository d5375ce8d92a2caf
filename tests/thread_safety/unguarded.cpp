// Must NOT compile with WPED_THREAD_SAFETY_FLAGS: it reads and writes a GUARDED_BY member
// without its lock and calls a REQUIRES function unlocked. thread_safety.rejects_unguarded
// fails if clang accepts it (the annotations would have stopped being checked).
#include "common/mutex.h"

namespace {

class Counter {
 public:
  void add() { ++value_; }                      // unguarded write
  int read() const { return valueLocked(); }    // REQUIRES not met

 private:
  int valueLocked() const REQUIRES(mutex_) { return value_; }

  mutable wpe::Mutex mutex_;
  int value_ GUARDED_BY(mutex_) = 0;
};

}  // namespace

int main() {
  Counter counter;
  counter.add();
  return counter.read();
}
