#pragma once
// UpstreamClient: one logical call to the WP Engine API — an HttpTransport exchange wrapped in
// the RetryPolicy (docs/security.md rule 12). Knows nothing about auth: the caller puts the
// Authorization value on the request (and handles a 401 itself, once).
//
// Retries (RetryMode::Auto):
//  - idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE): transport failures and transient
//    statuses (408, 425, 429, 500, 502, 503, 504), up to maxAttempts, waiting
//    RetryPolicy::delay() (full jitter, Retry-After as a floor) on the Sleeper;
//  - POST, PATCH: only failures where the request certainly never went out (connect, TLS);
//  - RetryMode::Never: one attempt, whatever happens (the OAuth code exchange).
//  - never after an exchange that ran out its total deadline (SendOutcome::deadlinePassed):
//    one call then takes about one deadline, not maxAttempts of them.
//  A wait longer than options().maxSingleWait, waits adding up to more than maxTotalWait, or
//  an interrupted Sleeper end the retries (the last response or error is returned).
//
// send(): a 2xx response is the value; otherwise an Error:
//   429 → RateLimited (upstreamStatus, retryAfter — 60 s when the API sent none —,
//         "…rate limiting requests; retry after N s"),
//   other statuses → UpstreamError (upstreamStatus, the API's `message` escaped and capped),
//   transport → UpstreamUnreachable (the transport's message).
// exchange(): any HTTP status is the value (for the passthrough); only transport failures are
//   errors. Retries apply the same way.
//
// Rate limit (with a RateLimitGate): a 429 with Retry-After closes the profile's gate
// (options.profile) until then. While it is closed nothing is sent for that profile: the
// call answers RateLimited at once (retryAfter = the time left, "wped is holding back…"; the
// gate counts it) — or, with options.waitForRateLimit, sleeps the window out first when the
// wait fits maxSingleWait/maxTotalWait. The 429 that closed the gate is returned as it came
// (no retry inside the call) unless waitForRateLimit.
//
// Thread-safe if the transport and sleeper are (the real ones are). Holds references only.

#include <chrono>
#include <optional>

#include "common/result.h"
#include "daemon/time/clock.h"
#include "daemon/upstream/http_transport.h"
#include "daemon/upstream/rate_limit_gate.h"
#include "daemon/upstream/retry_policy.h"
#include "daemon/upstream/sleeper.h"

namespace Poco {
class Logger;
}

namespace wpe {

enum class RetryMode { Auto, Never };

class UpstreamClient {
 public:
  UpstreamClient(HttpTransport& transport, const RetryPolicy& policy, Sleeper& sleeper,
                 const Clock& clock, Poco::Logger& logger, RateLimitGate* gate = nullptr);

  Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options,
                            RetryMode mode = RetryMode::Auto);

  Result<HttpResponse> exchange(const HttpRequest& request, const TransportOptions& options,
                                RetryMode mode = RetryMode::Auto);

  // The Error send() reports for a non-2xx response (exposed for callers that used
  // exchange() and want the same wording).
  Error errorFor(const HttpResponse& response) const;

  static bool isIdempotent(const std::string& method);

 private:
  Poco::Logger& logger_;
  HttpTransport& transport_;
  const RetryPolicy& policy_;
  Sleeper& sleeper_;
  const Clock& clock_;
  RateLimitGate* gate_;  // may be null (no shared backoff: unit tests, the OAuth client)
};

}  // namespace wpe
