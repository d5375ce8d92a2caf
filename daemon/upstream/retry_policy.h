#pragma once
// RetryPolicy: which upstream failures are worth another attempt and how long to wait before
// it (docs/security.md rule 12). Pure decisions, no I/O: UpstreamClient asks, a Sleeper waits.
//
//  - Transient: transport failures (connect/TLS/read/timeout) and HTTP 408, 425, 429, 500,
//    502, 503, 504. Every other status is final.
//  - Backoff: "full jitter" (a uniform random delay in [0, min(cap, base * 2^n))), so many
//    clients that failed together do not retry together.
//  - Retry-After (seconds or an HTTP date) is a floor under that delay, clamped to an hour.
//
// Thread-safe: const methods only; the random source is called under a mutex.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "daemon/time/clock.h"

namespace wpe {

struct RetryPolicyOptions {
  // 500 ms base, 30 s cap, 5 attempts: the retries of one call wait at most ~0.5+1+2+4 s
  // ≈ 7.5 s (expected half that), which rides out a load balancer's brief 502/503 without
  // keeping a CLI caller waiting long; a longer outage is the scheduler's business.
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{30000};
  int maxAttempts = 5;
  // A server's Retry-After is honoured up to an hour; anything longer is treated as an hour.
  std::chrono::seconds maxRetryAfter{3600};
  // A single wait longer than this is not slept inside one call: the caller gets the error
  // (with retryAfter) and decides when to come back. 60 s keeps a request bounded.
  std::chrono::milliseconds maxSingleWait{60000};
  // All waits of one call together stay under this, so a caller (a CLI command, a local API
  // request) gets an answer within about a minute and a half even when the API keeps asking
  // for Retry-After: 50.
  std::chrono::milliseconds maxTotalWait{90000};
};

class RetryPolicy {
 public:
  // Uniform in [0, 1). Injected so tests are deterministic.
  using RandomSource = std::function<double()>;

  // random: empty → a std::mt19937_64 seeded from std::random_device.
  explicit RetryPolicy(RetryPolicyOptions options = {}, RandomSource random = {});

  static bool isTransientStatus(int status);

  const RetryPolicyOptions& options() const { return options_; }

  // Full-jitter delay before the next attempt after `failedAttempts` (≥ 1) failures.
  std::chrono::milliseconds backoff(int failedAttempts) const;

  // backoff() raised to the (clamped) Retry-After floor, if any.
  std::chrono::milliseconds delay(int failedAttempts,
                                  std::optional<std::chrono::seconds> retryAfter) const;

  // Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3), relative to `now`;
  // clamped to [0, maxRetryAfter]. nullopt when absent or unparsable.
  std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value, WallTime now) const;
  // The same with an explicit cap, for callers without a policy (the OAuth client).
  static std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value, WallTime now,
                                                             std::chrono::seconds max);

 private:
  RetryPolicyOptions options_;
  RandomSource random_ GUARDED_BY(randomMutex_);
  mutable Mutex randomMutex_;
};

}  // namespace wpe
