#include "daemon/upstream/deadline_watch.h"

#include <algorithm>
#include <exception>

namespace wpe {

DeadlineWatch::Ticket::~Ticket() { watch_.disarm(id_); }

DeadlineWatch::DeadlineWatch(const Clock& clock) : clock_(clock) {}

DeadlineWatch::~DeadlineWatch() { stop(); }

std::unique_ptr<DeadlineWatch::Ticket> DeadlineWatch::arm(std::chrono::milliseconds timeout,
                                                          std::function<void()> abort) {
  LockGuard lock(mutex_);
  const std::uint64_t id = nextId_++;
  std::unique_ptr<Ticket> ticket(new Ticket(*this, id, timeout));  // private constructor
  Entry entry{clock_.boottime() + timeout, std::move(abort), ticket.get()};
  if (cancelled_) {
    fireLocked(entry, AbortReason::ShuttingDown);
    return ticket;
  }
  const bool earliest = armed_.empty() || std::all_of(armed_.begin(), armed_.end(), [&](auto& e) {
                          return e.second.deadline > entry.deadline;
                        });
  armed_.emplace(id, std::move(entry));
  lock.unlock();
  if (earliest) cv_.notifyAll();
  return ticket;
}

void DeadlineWatch::fireLocked(Entry& entry, AbortReason reason) {
  entry.ticket->reason_.store(reason);
  try {
    if (entry.abort) entry.abort();
  } catch (const std::exception&) {
    // An abort action is a shutdown(2); nothing it throws can be acted on here, and the
    // exchange still sees reason() and gives up.
  }
}

void DeadlineWatch::cancelAll() {
  LockGuard lock(mutex_);
  cancelled_ = true;
  for (auto& [id, entry] : armed_) fireLocked(entry, AbortReason::ShuttingDown);
  armed_.clear();
}

bool DeadlineWatch::cancelled() const {
  LockGuard lock(mutex_);
  return cancelled_;
}

BootTime DeadlineWatch::fireDue() {
  LockGuard lock(mutex_);
  return fireDueLocked();
}

BootTime DeadlineWatch::fireDueLocked() {
  const BootTime now = clock_.boottime();
  BootTime next = BootTime::max();
  for (auto it = armed_.begin(); it != armed_.end();) {
    if (it->second.deadline <= now) {
      fireLocked(it->second, AbortReason::DeadlinePassed);
      it = armed_.erase(it);
    } else {
      next = std::min(next, it->second.deadline);
      ++it;
    }
  }
  return next;
}

void DeadlineWatch::disarm(std::uint64_t id) {
  LockGuard lock(mutex_);
  armed_.erase(id);
}

void DeadlineWatch::start() {
  LockGuard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void DeadlineWatch::stop() {
  {
    LockGuard lock(mutex_);
    stopping_ = true;
  }
  cv_.notifyAll();
  // Only start() and stop() touch thread_, from one thread (the owner's); the lock is not
  // held across the join, which waits for run() to take it.
  std::thread thread;
  {
    LockGuard lock(mutex_);
    thread = std::move(thread_);
  }
  if (thread.joinable()) thread.join();
}

void DeadlineWatch::run() {
  LockGuard lock(mutex_);
  while (!stopping_) {
    const BootTime next = fireDueLocked();
    if (next == BootTime::max()) {
      // Nothing armed: asleep until arm() (which wakes us for any first deadline) or stop(),
      // so an idle daemon does not wake every second (issue 10).
      cv_.wait(mutex_);
      continue;
    }
    // At most 1 s: the cap only bounds how late a deadline fires after a suspend (the wait
    // is on the steady clock, the deadline on boottime).
    cv_.waitUntil(mutex_, std::chrono::steady_clock::now() +
                              std::clamp<BootTime>(next - clock_.boottime(),
                                                   std::chrono::milliseconds(1),
                                                   std::chrono::seconds(1)));
  }
}

}  // namespace wpe
