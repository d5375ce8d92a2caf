#pragma once
// glibc malloc settings for a daemon that must stay small after any number of syncs
// (issue 10): call once at start, before any thread exists (mallopt is not thread-safe
// against a first allocation in another thread).
//  - At most kArenas malloc arenas: each thread that allocates would otherwise get its own
//    (16 were seen: the API pool, the fetchers, the sync threads) and every arena keeps
//    freed memory for itself.
//  - Fixed mmap and trim thresholds: glibc raises both dynamically each time a big block is
//    freed (a 6 MB list text raised them to 32 MB), after which freed memory is never handed
//    back, not even by malloc_trim. Fixed, blocks of kThreshold and more are mmap'ed and
//    unmapped on free, and a free top of heap beyond it is returned at once.
// Returns false when glibc refused a setting (the daemon runs, only larger).

#include <cstddef>

namespace wpe {

bool applyMemoryPolicy();

}  // namespace wpe
