#pragma once
// Clock: the daemon's two notions of time, behind an interface so the token state machine
// and the schedulers are tested with a fake clock.
//  - boottime(): CLOCK_BOOTTIME, which keeps counting during suspend (steady_clock is
//    CLOCK_MONOTONIC and stops, so a laptop waking after 8 h would think its token fresh).
//    Every deadline in the daemon is on this clock (docs/security.md rule 10).
//  - now(): wall-clock UTC, only for what is persisted across restarts (token expiry in
//    the keyring, synced_at in the cache) and for display.
// Thread-safe.

#include <chrono>

namespace wpe {

using BootTime = std::chrono::nanoseconds;  // since boot, suspend included
using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual BootTime boottime() const = 0;
  virtual WallTime now() const = 0;
};

class SystemClock final : public Clock {
 public:
  BootTime boottime() const override;
  WallTime now() const override;
};

}  // namespace wpe
