#pragma once
// StubHttpServer: a minimal keep-alive HTTP/1.1 server for `wped-bench-http --self-test`. It
// answers every request (headers only; request bodies are not supported) with one fixed 200
// JSON response shaped like the daemon's token answer, so the tool can check itself and show
// what a near-zero-work server reaches on this machine.

#include <string>

#include "unix_listener.h"

namespace wpe::bench {

class StubHttpServer {
 public:
  StubHttpServer();

  Status start() { return listener_.start(); }
  void stop() { listener_.stop(); }
  const std::string& path() const { return listener_.path(); }

 private:
  void serve(UnixStream& stream) const;

  std::string response_;
  UnixListener listener_;
};

}  // namespace wpe::bench
