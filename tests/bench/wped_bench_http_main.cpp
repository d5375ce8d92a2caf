// wped-bench-http: a load generator for HTTP/1.1 on a Unix socket (see bench_options.cpp).
#include <iostream>

#include "bench_app.h"

int main(int argc, char** argv) {
  auto options = wpe::bench::BenchOptions::parse(argc, argv);
  if (!options) {
    std::cerr << "wped-bench-http: " << options.error().message << "\n"
              << wpe::bench::BenchOptions::usage();
    return 2;
  }
  if (options->help) {
    std::cout << wpe::bench::BenchOptions::usage();
    return 0;
  }
  return wpe::bench::BenchApp(std::move(options.value())).run();
}
