#include "daemon/system/memory_policy.h"

#include <malloc.h>

namespace wpe {
namespace {

// 2 arenas: the main one and one for every other thread. Measured with 10,000 sites
// (tests/bench/bench_memory.py): sync time unchanged, the retained heap gone; contention is
// low because syncs allocate from a handful of threads and requests allocate little.
constexpr int kArenas = 2;
// 128 KiB: glibc's own starting value, here kept from being raised.
constexpr int kThreshold = 128 * 1024;

}  // namespace

bool applyMemoryPolicy() {
  bool ok = ::mallopt(M_ARENA_MAX, kArenas) == 1;
  ok = ::mallopt(M_MMAP_THRESHOLD, kThreshold) == 1 && ok;
  ok = ::mallopt(M_TRIM_THRESHOLD, kThreshold) == 1 && ok;
  return ok;
}

}  // namespace wpe
