#pragma once
// LatencySummary: the figures a benchmark prints for one run — request count, throughput and
// nearest-rank percentiles of the round-trip latencies.

#include <chrono>
#include <cstdint>
#include <vector>

namespace wpe::bench {

struct LatencySummary {
  std::uint64_t requests = 0;
  double seconds = 0;  // length of the measured window
  std::chrono::nanoseconds p50{}, p90{}, p99{}, max{};

  double requestsPerSecond() const { return seconds > 0 ? requests / seconds : 0; }

  // Sorts `samples` (nanoseconds, one per round trip) in place. Empty samples give zeros.
  static LatencySummary fromSamples(std::vector<std::uint64_t>& samples, double seconds);
};

}  // namespace wpe::bench
