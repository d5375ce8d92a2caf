#pragma once
// RequestCoalescer: identical concurrent reads through the passthrough share one upstream
// request. Ten scripts asking for GET /sites?limit=100 at once cost the profile's rate limit
// one request, and every one of them gets the same answer (status, headers, body), or the
// same error.
//
// The caller builds the key and decides what may share: ApiProxy coalesces only GETs without
// a body, keyed by profile, path, query and Accept, so a non-GET is never shared and nothing
// is shared across profiles. Sharing lasts only while the first request is in flight: a
// request arriving after the answer came goes upstream again (this is not a cache).
// Thread-safe; the first caller runs `call` on its own thread, the others wait for it.

#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <string>
#include <utility>

#include "common/mutex.h"
#include "common/result.h"
#include "daemon/upstream/http_transport.h"

namespace wpe {

class RequestCoalescer {
 public:
  using Call = std::function<Result<HttpResponse>()>;

  // `call`'s result — run now, or the in-flight identical call's result when there is one
  // for (profile, key). Waiters are counted per profile.
  Result<HttpResponse> run(const std::string& profile, const std::string& key, const Call& call);

  // How many requests of `profile` got another request's answer, since start.
  std::uint64_t coalesced(const std::string& profile) const;

 private:
  using Key = std::pair<std::string, std::string>;
  mutable Mutex mutex_;
  std::map<Key, std::shared_future<Result<HttpResponse>>> inFlight_ GUARDED_BY(mutex_);
  std::map<std::string, std::uint64_t> coalesced_ GUARDED_BY(mutex_);
};

}  // namespace wpe
