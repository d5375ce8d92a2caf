#include "daemon/profiles/request_coalescer.h"

namespace wpe {

Result<HttpResponse> RequestCoalescer::run(const std::string& profile, const std::string& key,
                                           const Call& call) {
  const Key id{profile, key};
  std::promise<Result<HttpResponse>> promise;
  {
    LockGuard lock(mutex_);
    auto it = inFlight_.find(id);
    if (it != inFlight_.end()) {
      auto shared = it->second;
      ++coalesced_[profile];
      lock.unlock();
      return shared.get();  // a copy: every waiter owns its answer
    }
    inFlight_.emplace(id, promise.get_future().share());
  }
  // The entry goes before the waiters wake, so a request arriving after the answer asks
  // upstream itself instead of getting an old answer.
  auto finish = [&](Result<HttpResponse> result) {
    {
      LockGuard lock(mutex_);
      inFlight_.erase(id);
    }
    promise.set_value(std::move(result));
  };
  try {
    Result<HttpResponse> result = call();
    Result<HttpResponse> mine = result;
    finish(std::move(result));
    return mine;
  } catch (const std::exception& e) {
    // The waiters get an answer too; this caller's last-resort handler sees the exception.
    finish(Error(ErrorCode::Internal, std::string("passthrough failed: ") + e.what()));
    throw;
  }
}

std::uint64_t RequestCoalescer::coalesced(const std::string& profile) const {
  LockGuard lock(mutex_);
  auto it = coalesced_.find(profile);
  return it == coalesced_.end() ? 0 : it->second;
}

}  // namespace wpe
