#pragma once
// WallTime as milliseconds since the Unix epoch and back: how cache.db stores times (the
// sync state, the audit trail).

#include <chrono>

#include "daemon/time/clock.h"

namespace wpe {

inline long long toUnixMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline WallTime fromUnixMillis(long long ms) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace wpe
