#include "daemon/upstream/upstream_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include "common/log_escape.h"

namespace wpe {
namespace {

// The API's own explanation from {"message": "..."}: a short escaped prefix, token-shaped
// runs redacted (serverTextForLog); "" if none.
std::string apiMessage(const std::string& body) {
  if (body.empty() || body.size() > (1u << 20)) return {};
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(body);
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (object && object->has("message") && object->get("message").isString()) {
      return serverTextForLog(object->getValue<std::string>("message"));
    }
  } catch (const std::exception&) {
    // Not JSON (an HTML error page from a proxy): the status alone has to do.
  }
  return {};
}

// "GET https://host/path" without the query (queries may carry filters; keep logs short).
std::string describe(const HttpRequest& request) {
  return request.method + " " + escapeForLog(request.url.substr(0, request.url.find('?')), 200);
}

}  // namespace

UpstreamClient::UpstreamClient(HttpTransport& transport, const RetryPolicy& policy,
                               Sleeper& sleeper, const Clock& clock, Poco::Logger& logger,
                               RateLimitGate* gate)
    : logger_(logger),
      transport_(transport),
      policy_(policy),
      sleeper_(sleeper),
      clock_(clock),
      gate_(gate) {}

bool UpstreamClient::isIdempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE";
}

Error UpstreamClient::errorFor(const HttpResponse& response) const {
  std::optional<std::chrono::seconds> retryAfter;
  const std::string header = response.header("Retry-After");
  if (!header.empty()) retryAfter = policy_.parseRetryAfter(header, clock_.now());
  Error error;
  error.upstreamStatus = response.status;
  error.retryAfter = retryAfter;
  if (response.status == 429) {
    // The API documents no Retry-After; without one a minute is a polite default, and the
    // field says the same as the message.
    if (!error.retryAfter) error.retryAfter = std::chrono::seconds(60);
    error.code = ErrorCode::RateLimited;
    error.message = "the WP Engine API is rate limiting requests; retry after " +
                    std::to_string(error.retryAfter->count()) + " s";
    return error;
  }
  error.code = ErrorCode::UpstreamError;
  const std::string message = apiMessage(response.body);
  error.message = "the WP Engine API answered " + std::to_string(response.status) +
                  (message.empty() ? "" : ": " + message);
  return error;
}

Result<HttpResponse> UpstreamClient::send(const HttpRequest& request,
                                          const TransportOptions& options, RetryMode mode) {
  auto response = exchange(request, options, mode);
  if (!response) return response.error();
  if (response->status >= 200 && response->status < 300) return response;
  return errorFor(*response);
}

Result<HttpResponse> UpstreamClient::exchange(const HttpRequest& request,
                                              const TransportOptions& options, RetryMode mode) {
  const bool idempotent = isIdempotent(request.method);
  const int maxAttempts = mode == RetryMode::Never ? 1 : std::max(1, policy_.options().maxAttempts);
  std::chrono::milliseconds waited{0};
  for (int attempt = 1;; ++attempt) {
    if (gate_ != nullptr) {
      if (auto left = gate_->remaining(options.profile)) {
        const std::chrono::milliseconds wait = *left;
        const bool fits = wait <= policy_.options().maxSingleWait &&
                          waited + wait <= policy_.options().maxTotalWait;
        if (!options.waitForRateLimit || !fits) {
          gate_->countHeldBack(options.profile);
          Error error(ErrorCode::RateLimited,
                      "wped is holding back requests of profile " + options.profile +
                          ": the WP Engine API asked to wait (429); retry after " +
                          std::to_string(left->count()) + " s");
          error.retryAfter = *left;
          return error;
        }
        logger_.information(describe(request) + ": profile " + options.profile +
                            " is rate limited; waiting " + std::to_string(left->count()) + " s");
        if (!sleeper_.sleepFor(wait)) {
          return Error(ErrorCode::Unavailable, "wped is stopping");
        }
        waited += wait;
        --attempt;  // the wait was the API's request, not a failed attempt of ours
        continue;
      }
    }
    SendOutcome outcome = transport_.sendWithPhase(request, options);
    std::optional<std::chrono::seconds> retryAfter;
    bool transient;
    std::string what;
    if (!outcome.result) {
      // A server that took the whole deadline is not asked again: retries would multiply
      // the wait (docs/security.md rules 13, 14).
      transient = outcome.result.error().code == ErrorCode::UpstreamUnreachable &&
                  !outcome.deadlinePassed &&
                  (idempotent || outcome.failedPhase == SendPhase::NotSent);
      what = outcome.result.error().message;
    } else {
      const HttpResponse& response = *outcome.result;
      transient = idempotent && RetryPolicy::isTransientStatus(response.status);
      what = "status " + std::to_string(response.status);
      const std::string header = response.header("Retry-After");
      if (!header.empty()) retryAfter = policy_.parseRetryAfter(header, clock_.now());
      if (gate_ != nullptr && response.status == 429 && retryAfter) {
        gate_->close(options.profile, *retryAfter);
        logger_.warning(describe(request) + ": 429; profile " + options.profile +
                        " holds back its requests for " + std::to_string(retryAfter->count()) +
                        " s");
        if (!options.waitForRateLimit) return std::move(outcome.result);
      }
    }
    if (!transient || attempt >= maxAttempts) return std::move(outcome.result);

    const auto wait = policy_.delay(attempt, retryAfter);
    if (wait > policy_.options().maxSingleWait || waited + wait > policy_.options().maxTotalWait) {
      logger_.information(describe(request) + ": " + what + "; the API asks to wait " +
                          std::to_string(wait.count() / 1000) + " s, not retrying now");
      return std::move(outcome.result);
    }
    logger_.information(describe(request) + ": " + what + "; retry " + std::to_string(attempt + 1) +
                        "/" + std::to_string(maxAttempts) + " in " + std::to_string(wait.count()) +
                        " ms");
    if (!sleeper_.sleepFor(wait)) return std::move(outcome.result);  // shutting down
    waited += wait;
  }
}

}  // namespace wpe
