#include "daemon/upstream/retry_policy.h"

#include <catch2/catch.hpp>

using namespace wpe;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {
RetryPolicy::RandomSource fixed(double value) {
  return [value] { return value; };
}
const WallTime kNow = WallTime(seconds(1'800'000'000));  // Fri, 15 Jan 2027 08:00:00 GMT
}  // namespace

TEST_CASE("RetryPolicy: transient statuses are retried, everything else is final",
          "[retry_policy]") {
  for (int status : {408, 425, 429, 500, 502, 503, 504}) {
    CHECK(RetryPolicy::isTransientStatus(status));
  }
  for (int status : {200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 501, 505}) {
    CHECK_FALSE(RetryPolicy::isTransientStatus(status));
  }
}

TEST_CASE("RetryPolicy: full-jitter backoff stays between zero and the capped exponential ceiling",
          "[retry_policy]") {
  SECTION("the upper end of the random range gives the exponential ceiling") {
    RetryPolicy policy({}, fixed(0.999999));
    CHECK(policy.backoff(1) <= milliseconds(500));
    CHECK(policy.backoff(1) >= milliseconds(499));
    CHECK(policy.backoff(2) >= milliseconds(999));
    CHECK(policy.backoff(4) >= milliseconds(3999));
    CHECK(policy.backoff(20) <= milliseconds(30000));  // capped
    CHECK(policy.backoff(20) >= milliseconds(29999));
  }
  SECTION("zero random gives no wait") {
    RetryPolicy policy({}, fixed(0.0));
    CHECK(policy.backoff(3) == milliseconds(0));
  }
  SECTION("a seeded random stays in bounds for every attempt") {
    RetryPolicy policy;  // real random source
    for (int attempt = 1; attempt < 12; ++attempt) {
      for (int i = 0; i < 50; ++i) {
        auto d = policy.backoff(attempt);
        CHECK(d >= milliseconds(0));
        CHECK(d <= std::min(milliseconds(30000), milliseconds(500LL << (attempt - 1))));
      }
    }
  }
}

TEST_CASE("RetryPolicy: Retry-After is a floor under the backoff, clamped to an hour",
          "[retry_policy]") {
  RetryPolicy policy({}, fixed(0.0));
  CHECK(policy.delay(1, seconds(2)) == milliseconds(2000));
  CHECK(policy.delay(1, std::nullopt) == milliseconds(0));
  CHECK(policy.delay(1, seconds(7200)) == milliseconds(3600 * 1000));
  RetryPolicy high({}, fixed(0.999999));
  CHECK(high.delay(6, seconds(1)) >= milliseconds(15000));  // backoff larger than the floor
}

TEST_CASE("RetryPolicy: Retry-After parses seconds and HTTP dates", "[retry_policy]") {
  RetryPolicy policy;
  CHECK(policy.parseRetryAfter("2", kNow) == seconds(2));
  CHECK(policy.parseRetryAfter(" 120 ", kNow) == seconds(120));
  CHECK(policy.parseRetryAfter("999999", kNow) == seconds(3600));
  CHECK(policy.parseRetryAfter("99999999999999999999", kNow) == seconds(3600));
  CHECK(policy.parseRetryAfter("Fri, 15 Jan 2027 08:00:30 GMT", kNow) == seconds(30));
  CHECK(policy.parseRetryAfter("Fri, 15 Jan 2027 07:00:00 GMT", kNow) == seconds(0));  // past
  CHECK(policy.parseRetryAfter("Sat, 16 Jan 2027 08:00:00 GMT", kNow) == seconds(3600));
  CHECK_FALSE(policy.parseRetryAfter("", kNow));
  CHECK_FALSE(policy.parseRetryAfter("soon", kNow));
  CHECK_FALSE(policy.parseRetryAfter("-5", kNow));
}
