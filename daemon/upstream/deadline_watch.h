#pragma once
// DeadlineWatch: ends upstream exchanges that outlive their deadline, and every one of them
// when wped stops (docs/security.md rules 13, 14: an exchange has a total deadline and shutdown
// interrupts it).
//
// An exchange arm()s a Ticket with its timeout and an abort action. PocoHttpTransport's action
// is shutdown(2) of the exchange's socket: that wakes a blocked connect, TLS handshake, write
// or read in the exchange's own thread at once, whatever the server does (a per-read timeout
// alone lets a server that drips a byte every few seconds hold a request forever).
//  - The action runs at most once: when the deadline passes (fireDue(), called by the watch's
//    thread), or at cancelAll() (wped is stopping), or at once inside arm() when cancelAll()
//    already happened. Ticket::reason() tells the exchange which, for its error message.
//  - Actions run with the watch's lock held, so an action never runs after its Ticket was
//    destroyed; they must be quick (no I/O that can block) and must not call the watch.
//
// start() launches the one thread that sleeps until the earliest deadline; stop() (and the
// destructor) ends it. Without the thread only cancelAll() and explicit fireDue() calls fire
// (unit tests drive it with a fake Clock). Deadlines are on Clock::boottime(). Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "daemon/time/clock.h"

namespace wpe {

enum class AbortReason { None, DeadlinePassed, ShuttingDown };

class DeadlineWatch {
 public:
  class Ticket {
   public:
    ~Ticket();  // disarms; an action that did not run yet never runs
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

    // None while armed; why the action ran once it did.
    AbortReason reason() const { return reason_.load(); }
    std::chrono::milliseconds timeout() const { return timeout_; }

   private:
    friend class DeadlineWatch;
    Ticket(DeadlineWatch& watch, std::uint64_t id, std::chrono::milliseconds timeout)
        : watch_(watch), id_(id), timeout_(timeout) {}
    DeadlineWatch& watch_;
    const std::uint64_t id_;
    const std::chrono::milliseconds timeout_;
    // Written once, by the watch, before the action runs (under the watch's lock); read by
    // the exchange after the action made its I/O fail. Atomic rather than guarded: the
    // analysis cannot tell that a Ticket's watch_ is the watch firing it.
    std::atomic<AbortReason> reason_{AbortReason::None};
  };

  explicit DeadlineWatch(const Clock& clock);
  ~DeadlineWatch();
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  // Arms `abort` to run `timeout` from now. The Ticket must not outlive the watch.
  std::unique_ptr<Ticket> arm(std::chrono::milliseconds timeout, std::function<void()> abort)
      EXCLUDES(mutex_);

  // wped is stopping: runs every armed action now; later arm()s run theirs at once.
  void cancelAll() EXCLUDES(mutex_);
  bool cancelled() const EXCLUDES(mutex_);

  // Runs the actions whose deadline passed; returns the earliest deadline still armed (or
  // BootTime::max() when none is). The thread calls it; tests call it with a fake clock.
  BootTime fireDue() EXCLUDES(mutex_);

  void start() EXCLUDES(mutex_);
  void stop() EXCLUDES(mutex_);

 private:
  struct Entry {
    BootTime deadline;
    std::function<void()> abort;
    Ticket* ticket;
  };

  void fireLocked(Entry& entry, AbortReason reason) REQUIRES(mutex_);
  BootTime fireDueLocked() REQUIRES(mutex_);
  void disarm(std::uint64_t id) EXCLUDES(mutex_);
  void run() EXCLUDES(mutex_);

  const Clock& clock_;
  mutable Mutex mutex_;  // guards everything below and every Ticket's reason_
  CondVar cv_;
  std::map<std::uint64_t, Entry> armed_ GUARDED_BY(mutex_);
  std::uint64_t nextId_ GUARDED_BY(mutex_) = 1;
  bool cancelled_ GUARDED_BY(mutex_) = false;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_ GUARDED_BY(mutex_);
};

}  // namespace wpe
