#pragma once
// Test doubles for the upstream layer that fakes.h does not have: a Sleeper that records
// instead of sleeping, and a transport that says in which phase it failed.

#include <deque>
#include <mutex>
#include <vector>

#include "daemon/upstream/http_transport.h"
#include "daemon/upstream/sleeper.h"

namespace wpe::testing {

class RecordingSleeper final : public Sleeper {
 public:
  bool sleepFor(std::chrono::milliseconds duration) override {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
    return !interrupted_;
  }
  void interrupt() {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> sleeps_;
  bool interrupted_ = false;
};

class PhasedTransport final : public HttpTransport {
 public:
  Result<HttpResponse> send(const HttpRequest& r, const TransportOptions& o) override {
    return sendWithPhase(r, o).result;
  }
  SendOutcome sendWithPhase(const HttpRequest&, const TransportOptions&) override {
    ++calls;
    if (outcomes.empty()) {
      return {Error(ErrorCode::UpstreamUnreachable, "nothing scripted"), SendPhase::NotSent};
    }
    SendOutcome o = std::move(outcomes.front());
    outcomes.pop_front();
    return o;
  }
  std::deque<SendOutcome> outcomes;
  int calls = 0;
};

}  // namespace wpe::testing
