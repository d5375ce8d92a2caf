#pragma once
// BenchOptions: wped-bench-http's command line.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"

namespace wpe::bench {

struct BenchOptions {
  std::string socket;                               // --socket (not with --self-test)
  std::string path = "/v1/profiles/default/token";  // --path
  std::vector<int> clients{1, 8, 32};               // --clients 1,8,32
  std::chrono::milliseconds window{5000};           // --seconds (decimals allowed)
  std::chrono::milliseconds warmup{1000};           // --warmup
  std::chrono::milliseconds timeout{5000};          // --timeout-ms, per read/write
  std::size_t maxRequests = 2'000'000;              // --max-requests, per run
  bool baseline = false;                            // --baseline
  bool selfTest = false;                            // --self-test
  bool serveStub = false;                           // --serve-stub
  bool json = false;                                // --json
  bool help = false;                                // --help

  // Error (code BadRequest): what is wrong with the arguments, for a usage message.
  static Result<BenchOptions> parse(int argc, char** argv);
  static const char* usage();
};

}  // namespace wpe::bench
