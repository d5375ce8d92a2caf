#pragma once
// BaselineServer: the raw Unix-socket "echo" the HTTP figures are compared with. Each
// connection reads exactly `requestBytes`, then writes `responseBytes`, forever — the same
// bytes each way as the HTTP exchange being measured, with no parsing or work in between.

#include <cstddef>
#include <string>

#include "unix_listener.h"

namespace wpe::bench {

class BaselineServer {
 public:
  BaselineServer(std::size_t requestBytes, std::size_t responseBytes);

  Status start() { return listener_.start(); }
  void stop() { listener_.stop(); }
  const std::string& path() const { return listener_.path(); }

 private:
  void serve(UnixStream& stream) const;

  std::size_t requestBytes_;
  std::string response_;
  UnixListener listener_;
};

}  // namespace wpe::bench
