#pragma once
// Sleeper: how a retry waits. An interface so unit tests record the delays instead of
// sleeping, and so shutdown can cut every pending wait short.

#include <chrono>

namespace wpe {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits up to `duration`. Returns false if the wait was interrupted (shutting down):
  // the caller gives up instead of retrying.
  virtual bool sleepFor(std::chrono::milliseconds duration) = 0;
};

}  // namespace wpe
