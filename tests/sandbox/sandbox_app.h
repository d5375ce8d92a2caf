#pragma once
// SandboxApp: wires wpe-sandbox together — TLS material, data set, credentials, the HTTPS
// server (POCO HTTPServer on a SecureServerSocket, up to 128 threads, keep-alive on) — writes
// DIR/sandbox.json once listening, then waits for SIGTERM or SIGINT (which the caller must
// have blocked in every thread, see main.cpp) and stops. Not copyable; run() once.

#include <Poco/Logger.h>

#include "tests/sandbox/options.h"

namespace wpe {

class SandboxApp {
 public:
  SandboxApp(Options options, Poco::Logger& logger)
      : options_(std::move(options)), logger_(logger) {}
  SandboxApp(const SandboxApp&) = delete;
  SandboxApp& operator=(const SandboxApp&) = delete;

  // Process exit code: 0 after a signal, 1 when startup failed (the reason is logged).
  int run();

 private:
  Options options_;
  Poco::Logger& logger_;
};

}  // namespace wpe
