#pragma once
// LoadRunner: drives N connections at once, one thread each, every thread repeating its
// RoundTrip back to back (closed loop: a new request only after the previous answer). After
// a warm-up whose round trips are discarded, it records each round trip's latency with a
// steady clock for a fixed window, then stops by itself: at the end of the window, when the
// sample budget is spent, or at the first error. Each run() starts and joins its own threads;
// a LoadRunner holds no threads between runs and is used from one thread.

#include <chrono>
#include <cstddef>

#include "latency_summary.h"
#include "round_trip.h"

namespace wpe::bench {

struct LoadSettings {
  std::chrono::milliseconds warmup{1000};
  std::chrono::milliseconds window{5000};
  // Bounds memory (8 bytes a sample) and run length on a machine faster than expected.
  std::size_t maxSamples = 2'000'000;
};

class LoadRunner {
 public:
  explicit LoadRunner(LoadSettings settings) : settings_(settings) {}

  // Runs `clients` connections made by `factory`. Error: the first failure of any connection
  // (connect or round trip), prefixed with "connection K:"; the other threads are stopped.
  Result<LatencySummary> run(int clients, const RoundTripFactory& factory) const;

 private:
  LoadSettings settings_;
};

}  // namespace wpe::bench
