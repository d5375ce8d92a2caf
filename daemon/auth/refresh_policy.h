#pragma once
// RefreshPolicy: the arithmetic of when to refresh and how long to back off
// (docs/architecture.md "Flows", docs/security.md rules 9, 12, 10). Pure functions of their arguments so
// the schedule is unit-tested without a clock; `random01` is a uniform draw from [0, 1).

#include <chrono>
#include <functional>
#include <optional>

namespace wpe {

class RefreshPolicy {
 public:
  // 60 s: a 5 min token is still refreshed a full minute ahead; longer tokens use 10 %.
  static constexpr std::chrono::seconds kMinMargin{60};
  // First retry within 2 s, doubling up to 5 min: a flapping network is probed often, an
  // outage does not hammer the server.
  static constexpr std::chrono::seconds kBackoffBase{2};
  static constexpr std::chrono::seconds kBackoffCap{300};
  // Full jitter can draw ~0; one second keeps a failing refresh from spinning.
  static constexpr std::chrono::seconds kMinBackoff{1};

  // How long before expiry the refresh is due: margin = max(60 s, 10 % of lifetime), plus a
  // jitter of 0–10 % of the margin (so profiles and daemons restarted together spread out),
  // never more than half the lifetime (a 30 s token is refreshed at 15 s, not immediately).
  static std::chrono::nanoseconds refreshLead(std::chrono::seconds lifetime, double random01);

  // Delay before retry number `failures` (1-based): full jitter over an exponential window,
  // at least kMinBackoff, and at least retryAfter when the server sent one.
  static std::chrono::nanoseconds backoff(int failures, double random01,
                                          std::optional<std::chrono::seconds> retryAfter);

  // A uniform [0, 1) source seeded from std::random_device; thread-safe.
  static std::function<double()> systemRandom();
};

}  // namespace wpe
