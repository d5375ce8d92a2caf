#include "latency_summary.h"

#include <algorithm>
#include <cmath>

namespace wpe::bench {

namespace {

// Nearest rank: the smallest sample with at least `fraction` of all samples at or below it.
std::chrono::nanoseconds percentile(const std::vector<std::uint64_t>& sorted, double fraction) {
  auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  std::size_t index = rank == 0 ? 0 : rank - 1;
  return std::chrono::nanoseconds(sorted[std::min(index, sorted.size() - 1)]);
}

}  // namespace

LatencySummary LatencySummary::fromSamples(std::vector<std::uint64_t>& samples, double seconds) {
  LatencySummary summary;
  summary.requests = samples.size();
  summary.seconds = seconds;
  if (samples.empty()) return summary;
  std::sort(samples.begin(), samples.end());
  summary.p50 = percentile(samples, 0.50);
  summary.p90 = percentile(samples, 0.90);
  summary.p99 = percentile(samples, 0.99);
  summary.max = std::chrono::nanoseconds(samples.back());
  return summary;
}

}  // namespace wpe::bench
