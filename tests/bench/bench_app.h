#pragma once
// BenchApp: wped-bench-http's run — one probe request (which also fixes the request and
// response sizes), then for each client count an HTTP run and, with --baseline, a raw run of
// the same sizes against an in-process server. Prints as it goes (table) or at the end (JSON);
// errors go to stderr once, naming the client count and connection.

#include "bench_options.h"

namespace wpe::bench {

class BenchApp {
 public:
  explicit BenchApp(BenchOptions options) : options_(std::move(options)) {}

  // The process exit code: 0 when every run completed, 1 when one failed.
  int run();

 private:
  BenchOptions options_;
};

}  // namespace wpe::bench
