#pragma once
// The --since WHEN option of `wpectl audit`: a duration back from now — a whole number and
// one unit, s, m, h, d or w ("30m", "1h", "2d") — or an RFC 3339 time
// ("2026-11-28T09:00:00Z", offsets accepted). Checked here so a typo is a usage error
// (exit 2) rather than a daemon answer. Pure.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace wpe::ctl {

// The RFC 3339 UTC time ("2026-11-28T09:00:00Z") that `value` stands for, `nowSeconds` being
// the current time since the epoch; BadRequest saying what is accepted otherwise.
Result<std::string> sinceTime(const std::string& value, std::int64_t nowSeconds);

// Seconds since the epoch as RFC 3339 UTC.
std::string formatUtc(std::int64_t seconds);

}  // namespace wpe::ctl
