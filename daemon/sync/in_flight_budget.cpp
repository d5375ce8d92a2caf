#include "daemon/sync/in_flight_budget.h"

#include <algorithm>

namespace wpe {

InFlightBudget::InFlightBudget(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {}

InFlightBudget::Slot InFlightBudget::acquire(std::size_t priority) {
  LockGuard lock(mutex_);
  auto mayTake = [&]() REQUIRES(mutex_) {
    return inUse_ < capacity_ && (waiting_.empty() || waiting_.begin()->first <= priority);
  };
  if (!mayTake()) {
    ++waiting_[priority];
    while (!mayTake()) freed_.wait(mutex_);
    if (--waiting_[priority] == 0) waiting_.erase(priority);
  }
  ++inUse_;
  maxInUse_ = std::max(maxInUse_, inUse_);
  return Slot(*this);
}

void InFlightBudget::release() {
  {
    LockGuard lock(mutex_);
    --inUse_;
  }
  // All: the one that may take the slot is the highest priority waiting, not any one.
  freed_.notifyAll();
}

std::size_t InFlightBudget::maxInUse() const {
  LockGuard lock(mutex_);
  return maxInUse_;
}

std::size_t InFlightBudget::waiting() const {
  LockGuard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [priority, count] : waiting_) total += count;
  return total;
}

}  // namespace wpe
