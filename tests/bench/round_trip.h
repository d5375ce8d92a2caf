#pragma once
// RoundTrip: one client connection that can repeat one request/response exchange. The load
// runner times run() calls; implementations own their socket. Not thread-safe: each load
// thread owns its own RoundTrip.

#include <functional>
#include <memory>

#include "common/result.h"

namespace wpe::bench {

class RoundTrip {
 public:
  virtual ~RoundTrip() = default;
  // Sends the request and reads the whole response. Error: what went wrong, with the status
  // line and body for an HTTP error answer; the connection is unusable afterwards.
  virtual Status run() = 0;
};

// Opens a new connection (called once per load thread, on that thread).
using RoundTripFactory = std::function<Result<std::unique_ptr<RoundTrip>>()>;

}  // namespace wpe::bench
