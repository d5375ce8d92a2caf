#include "ctl/since_option.h"

#include <ctime>

#include "ctl/relative_time.h"

namespace wpe::ctl {
namespace {

// 10 years: further back than the trail keeps (30 days), and far from overflowing.
constexpr std::int64_t kMaxBackSeconds = 10LL * 366 * 86400;

std::int64_t unitSeconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return 0;
  }
}

}  // namespace

std::string formatUtc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::string> sinceTime(const std::string& value, std::int64_t nowSeconds) {
  if (auto absolute = parseRfc3339Seconds(value)) return formatUtc(*absolute);
  Error bad(ErrorCode::BadRequest,
            "--since takes a duration such as 30m, 1h or 2d (units s, m, h, d, w) or an RFC 3339 "
            "time such as 2026-11-28T09:00:00Z, not \"" +
                value.substr(0, 40) + "\"");
  if (value.size() < 2 || value.size() > 12) return bad;
  std::int64_t unit = unitSeconds(value.back());
  if (unit == 0) return bad;
  std::int64_t amount = 0;
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    char c = value[i];
    if (c < '0' || c > '9') return bad;
    amount = amount * 10 + (c - '0');
  }
  if (amount * unit > kMaxBackSeconds) return bad;
  return formatUtc(nowSeconds - amount * unit);
}

}  // namespace wpe::ctl
