#include "daemon/auth/refresh_policy.h"

#include <algorithm>
#include <memory>
#include <random>

#include "common/mutex.h"

namespace wpe {

using std::chrono::nanoseconds;

nanoseconds RefreshPolicy::refreshLead(std::chrono::seconds lifetime, double random01) {
  const nanoseconds life = lifetime;
  const nanoseconds margin = std::max<nanoseconds>(kMinMargin, life / 10);
  const double r = std::clamp(random01, 0.0, 1.0);
  const auto jitter = nanoseconds(static_cast<nanoseconds::rep>(margin.count() * 0.1 * r));
  return std::min<nanoseconds>(margin + jitter, life / 2);
}

nanoseconds RefreshPolicy::backoff(int failures, double random01,
                                   std::optional<std::chrono::seconds> retryAfter) {
  const int shift = std::clamp(failures - 1, 0, 20);
  const nanoseconds window =
      std::min<nanoseconds>(nanoseconds(kBackoffBase) * (1LL << shift), kBackoffCap);
  const double r = std::clamp(random01, 0.0, 1.0);
  nanoseconds delay(static_cast<nanoseconds::rep>(window.count() * r));
  delay = std::max<nanoseconds>(delay, kMinBackoff);
  if (retryAfter) delay = std::max<nanoseconds>(delay, *retryAfter);
  return delay;
}

std::function<double()> RefreshPolicy::systemRandom() {
  struct State {
    Mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
  };
  auto state = std::make_shared<State>();
  return [state] {
    LockGuard lock(state->mutex);
    return state->dist(state->engine);
  };
}

}  // namespace wpe
