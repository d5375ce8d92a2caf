#include "daemon/time/clock.h"

#include <time.h>

namespace wpe {

BootTime SystemClock::boottime() const {
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

WallTime SystemClock::now() const { return std::chrono::system_clock::now(); }

}  // namespace wpe
