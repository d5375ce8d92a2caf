#pragma once
// Generation: "has anything changed since I looked?" — the epoch that lets work begun before a
// change (a login, a logout, a refresh, a markStale) find out its result is stale and drop it.
//
//   const Generation::Stamp seen = credentials_.stamp();   // under the owner's lock
//   … unlock, do the slow work, lock again …
//   if (!credentials_.isCurrent(seen)) return;              // changed meanwhile: discard
//
// advance() invalidates every stamp taken before it. A default Stamp is the stamp of a fresh
// Generation, so "never changed" needs no special case. A value type and not thread-safe: it
// lives beside the state it versions, GUARDED_BY the same mutex.

#include <cstdint>

namespace wpe {

class Generation {
 public:
  class Stamp {
   public:
    Stamp() = default;
    bool operator==(const Stamp& other) const { return value_ == other.value_; }
    bool operator!=(const Stamp& other) const { return value_ != other.value_; }

   private:
    friend class Generation;
    explicit Stamp(std::uint64_t value) : value_(value) {}
    std::uint64_t value_ = 0;
  };

  Stamp stamp() const { return Stamp(value_); }
  bool isCurrent(Stamp stamp) const { return stamp.value_ == value_; }
  // Something changed: every earlier stamp is stale from now on.
  void advance() { ++value_; }

 private:
  std::uint64_t value_ = 0;
};

}  // namespace wpe
