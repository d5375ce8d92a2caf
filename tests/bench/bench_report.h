#pragma once
// BenchReport: prints wped-bench-http's figures, either as a table (a header, then one block
// per client count as each finishes) or as one JSON document at the end. Latencies are in
// microseconds with 2 decimals in both.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bench_options.h"
#include "latency_summary.h"
#include "machine_info.h"

namespace wpe::bench {

struct BenchRow {
  int clients = 0;
  LatencySummary http;
  std::optional<LatencySummary> raw;  // with --baseline

  // HTTP req/s ÷ raw req/s: how close the server gets to the machine's limit (0 without raw).
  double ratio() const;
};

class BenchReport {
 public:
  // `target`: the socket path, or a description of the self-test server.
  BenchReport(const BenchOptions& options, std::string target, std::size_t requestBytes,
              std::size_t responseBytes, MachineInfo machine);

  void printTableHeader(std::ostream& out) const;
  void printTableRow(std::ostream& out, const BenchRow& row) const;
  void printJson(std::ostream& out, const std::vector<BenchRow>& rows) const;

 private:
  const BenchOptions& options_;
  std::string target_;
  std::size_t requestBytes_;
  std::size_t responseBytes_;
  MachineInfo machine_;
};

}  // namespace wpe::bench
