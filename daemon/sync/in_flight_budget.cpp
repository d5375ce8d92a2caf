#include "daemon/sync/in_flight_budget.h"

#include <algorithm>

namespace wpe {

InFlightBudget::InFlightBudget(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {}

InFlightBudget::Slot InFlightBudget::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return inUse_ < capacity_; });
  ++inUse_;
  maxInUse_ = std::max(maxInUse_, inUse_);
  return Slot(*this);
}

void InFlightBudget::release() {
  {
    std::lock_guard lock(mutex_);
    --inUse_;
  }
  freed_.notify_one();
}

std::size_t InFlightBudget::maxInUse() const {
  std::lock_guard lock(mutex_);
  return maxInUse_;
}

}  // namespace wpe
