#pragma once
// RawRoundTrip: the baseline exchange on a Unix socket — write `requestBytes` bytes, read
// exactly `responseBytes` bytes back — with no parsing at all, so its cost is the kernel's
// and the scheduler's: the floor an HTTP server on this machine cannot go below.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "round_trip.h"
#include "unix_stream.h"

namespace wpe::bench {

class RawRoundTrip : public RoundTrip {
 public:
  RawRoundTrip(UnixStream stream, std::size_t requestBytes, std::size_t responseBytes);

  static Result<std::unique_ptr<RawRoundTrip>> connect(const std::string& socketPath,
                                                       std::size_t requestBytes,
                                                       std::size_t responseBytes,
                                                       std::chrono::milliseconds timeout);

  Status run() override;

 private:
  UnixStream stream_;
  std::string request_;
  std::vector<char> response_;
};

}  // namespace wpe::bench
