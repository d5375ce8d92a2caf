#include "raw_round_trip.h"

#include <utility>

namespace wpe::bench {

RawRoundTrip::RawRoundTrip(UnixStream stream, std::size_t requestBytes, std::size_t responseBytes)
    : stream_(std::move(stream)), request_(requestBytes, 'q'), response_(responseBytes) {}

Result<std::unique_ptr<RawRoundTrip>> RawRoundTrip::connect(const std::string& socketPath,
                                                            std::size_t requestBytes,
                                                            std::size_t responseBytes,
                                                            std::chrono::milliseconds timeout) {
  auto stream = UnixStream::connect(socketPath, timeout);
  if (!stream) return stream.error();
  return std::make_unique<RawRoundTrip>(std::move(stream.value()), requestBytes, responseBytes);
}

Status RawRoundTrip::run() {
  if (auto s = stream_.writeAll(request_); !s) return s;
  return stream_.readExactly(response_.data(), response_.size());
}

}  // namespace wpe::bench
