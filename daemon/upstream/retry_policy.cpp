#include "daemon/upstream/retry_policy.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <random>

namespace wpe {

RetryPolicy::RetryPolicy(RetryPolicyOptions options, RandomSource random)
    : options_(options), random_(std::move(random)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

bool RetryPolicy::isTransientStatus(int status) {
  switch (status) {
    case 408:
    case 425:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds RetryPolicy::backoff(int failedAttempts) const {
  // ceiling = min(cap, base * 2^(n-1)); the shift is bounded so it cannot overflow.
  const int exponent = std::clamp(failedAttempts - 1, 0, 30);
  const double ceiling = std::min<double>(
      static_cast<double>(options_.cap.count()),
      static_cast<double>(options_.base.count()) * static_cast<double>(1LL << exponent));
  double r;
  {
    LockGuard lock(randomMutex_);
    r = random_();
  }
  r = std::clamp(r, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(ceiling * r));
}

std::chrono::milliseconds RetryPolicy::delay(int failedAttempts,
                                             std::optional<std::chrono::seconds> retryAfter) const {
  auto d = backoff(failedAttempts);
  if (retryAfter) {
    auto floor = std::min(*retryAfter, options_.maxRetryAfter);
    d = std::max<std::chrono::milliseconds>(d, floor);
  }
  return d;
}

std::optional<std::chrono::seconds> RetryPolicy::parseRetryAfter(const std::string& raw,
                                                                 WallTime now) const {
  return parseRetryAfter(raw, now, options_.maxRetryAfter);
}

std::optional<std::chrono::seconds> RetryPolicy::parseRetryAfter(const std::string& raw,
                                                                 WallTime now,
                                                                 std::chrono::seconds max) {
  std::string value = raw;
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  std::size_t start = 0;
  while (start < value.size() && std::isspace(static_cast<unsigned char>(value[start]))) ++start;
  value = value.substr(start);
  if (value.empty()) return std::nullopt;

  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    // Long digit strings saturate rather than overflow.
    if (value.size() > 9) return max;
    return std::min(std::chrono::seconds(std::stoll(value)), max);
  }
  try {
    int tzd = 0;
    // HTTP-date is IMF-fixdate; parse() also accepts the obsolete RFC 850 / asctime forms.
    Poco::DateTime when = Poco::DateTimeParser::parse(value, tzd);
    auto at = std::chrono::system_clock::from_time_t(when.timestamp().epochTime()) -
              std::chrono::seconds(tzd);
    auto delta = std::chrono::duration_cast<std::chrono::seconds>(at - now);
    return std::clamp(delta, std::chrono::seconds(0), max);
  } catch (const Poco::Exception&) {
    return std::nullopt;  // unparsable: no floor, the backoff alone decides
  }
}

}  // namespace wpe
