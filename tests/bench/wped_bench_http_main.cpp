// wped-bench-http: a load generator for HTTP/1.1 on a Unix socket (see bench_options.cpp).
#include <iostream>
#include <limits>

#include "bench_app.h"
#include "stub_http_server.h"

namespace {

// --serve-stub: the stub server in this process until stdin closes.
int serveStub() {
  wpe::bench::StubHttpServer server;
  if (auto started = server.start(); !started) {
    std::cerr << "wped-bench-http: " << started.error().message << "\n";
    return 1;
  }
  std::cout << server.path() << std::endl;
  std::cin.ignore(std::numeric_limits<std::streamsize>::max());  // until EOF
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = wpe::bench::BenchOptions::parse(argc, argv);
  if (!options) {
    std::cerr << "wped-bench-http: " << options.error().message << "\n"
              << wpe::bench::BenchOptions::usage();
    return 2;
  }
  if (options->serveStub) return serveStub();
  if (options->help) {
    std::cout << wpe::bench::BenchOptions::usage();
    return 0;
  }
  return wpe::bench::BenchApp(std::move(options.value())).run();
}
