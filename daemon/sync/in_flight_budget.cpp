#include "daemon/sync/in_flight_budget.h"

#include <algorithm>

namespace wpe {

InFlightBudget::InFlightBudget(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {}

InFlightBudget::Slot InFlightBudget::acquire() {
  LockGuard lock(mutex_);
  while (inUse_ >= capacity_) freed_.wait(mutex_);
  ++inUse_;
  maxInUse_ = std::max(maxInUse_, inUse_);
  return Slot(*this);
}

void InFlightBudget::release() {
  {
    LockGuard lock(mutex_);
    --inUse_;
  }
  freed_.notifyOne();
}

std::size_t InFlightBudget::maxInUse() const {
  LockGuard lock(mutex_);
  return maxInUse_;
}

}  // namespace wpe
