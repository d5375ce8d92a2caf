#pragma once
// RateLimitGate: one 429 backoff per profile, shared by everything that talks to the WP
// Engine API for that profile (the passthrough's clients, the sync, the /user look-ups).
// WP Engine throttles per account and per IP with unpublished thresholds; when it answers
// 429 with Retry-After N, every further request before that time would only be refused
// again and lengthen the throttle. UpstreamClient closes the gate on such an answer and,
// while it is closed, sends nothing upstream for that profile: it answers RateLimited with
// the remaining time, or (for the sync) sleeps the window out.
//
// A 429 without Retry-After does not close the gate (the retry policy's jittered backoff
// handles it). A later 429 may lengthen the window, never shorten it. Deadlines are on
// Clock::boottime() (suspend counts); `until` for display is wall time.
// Thread-safe; one instance for the daemon, keyed by profile name.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "daemon/time/clock.h"

namespace wpe {

class RateLimitGate {
 public:
  explicit RateLimitGate(const Clock& clock) : clock_(clock) {}

  // The API answered 429 with Retry-After `wait` for `profile`.
  void close(const std::string& profile, std::chrono::seconds wait);

  // The time left before `profile` may send again, rounded up to whole seconds (so ≥ 1 s),
  // or nullopt when the gate is open.
  std::optional<std::chrono::seconds> remaining(const std::string& profile) const;

  // A request answered RateLimited by wped without going upstream (for status).
  void countHeldBack(const std::string& profile);

  struct Snapshot {
    std::optional<WallTime> until;  // set while closed
    std::uint64_t heldBack = 0;     // requests answered 429 by wped itself, since start
  };
  Snapshot snapshot(const std::string& profile) const;

 private:
  struct Entry {
    BootTime until{0};
    WallTime wallUntil;
    std::uint64_t heldBack = 0;
  };
  const Clock& clock_;
  mutable Mutex mutex_;
  std::map<std::string, Entry> entries_ GUARDED_BY(mutex_);
};

}  // namespace wpe
