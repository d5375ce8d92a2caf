#pragma once
// InFlightBudget: how many upstream requests may be in flight at once, shared by every list
// walk that holds it (SiteCatalog gives one to all the lists of its profile), so three lists
// walked side by side keep the API at the same load as one (issue 10: 8 in all, instead of 4 per
// list, which left ~3.8 in flight while the installs walked alone).
//
// acquire(priority) blocks until a slot is free and no caller of a higher priority is waiting,
// and returns it as a Slot that gives it back when it is destroyed. SiteCatalog's lists ask with
// their size in pages: the longest walk is served first, so it also ends first and its write
// (the costliest) overlaps the smaller lists' last pages instead of coming after them. capacity() is fixed at construction (at least 1). maxInUse() is the most slots held
// at once since construction (for tests and the debug log).
//
// Thread-safe. Slots must be released before the budget is destroyed.

#include <cstddef>
#include <functional>
#include <map>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace wpe {

class InFlightBudget {
 public:
  explicit InFlightBudget(std::size_t capacity);
  InFlightBudget(const InFlightBudget&) = delete;
  InFlightBudget& operator=(const InFlightBudget&) = delete;

  class Slot {
   public:
    explicit Slot(InFlightBudget& budget) : budget_(&budget) {}
    Slot(Slot&& other) noexcept : budget_(other.budget_) { other.budget_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (budget_) budget_->release();
    }

   private:
    InFlightBudget* budget_;
  };

  Slot acquire(std::size_t priority = 0) EXCLUDES(mutex_);
  std::size_t capacity() const { return capacity_; }
  std::size_t maxInUse() const EXCLUDES(mutex_);
  // How many callers are waiting in acquire() now (for tests).
  std::size_t waiting() const EXCLUDES(mutex_);

 private:
  void release() EXCLUDES(mutex_);

  const std::size_t capacity_;
  mutable Mutex mutex_;
  CondVar freed_;
  std::size_t inUse_ GUARDED_BY(mutex_) = 0;  // never above capacity_
  std::size_t maxInUse_ GUARDED_BY(mutex_) = 0;
  // Waiting callers by priority, highest first.
  std::map<std::size_t, std::size_t, std::greater<>> waiting_ GUARDED_BY(mutex_);
};

}  // namespace wpe
