#include "daemon/core/rfc3339.h"

#include <time.h>

#include <cctype>
#include <cstdio>

namespace wpe {

std::string formatRfc3339(WallTime t) {
  const time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::optional<WallTime> parseRfc3339(std::string_view text) {
  // Fixed-width fields first: anything shorter or with a wrong separator is rejected.
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, mon, day, hour, min, sec;
  if (!digits(0, 4, year) || text[4] != '-' || !digits(5, 2, mon) || text[7] != '-' ||
      !digits(8, 2, day) || (text[10] != 'T' && text[10] != 't') || !digits(11, 2, hour) ||
      text[13] != ':' || !digits(14, 2, min) || text[16] != ':' || !digits(17, 2, sec)) {
    return std::nullopt;
  }
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {  // fraction: ignored (whole seconds suffice)
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  long offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!digits(pos + 1, 2, oh) || text[pos + 3] != ':' || !digits(pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (text[pos] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = mon - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = min;
  utc.tm_sec = sec;
  const time_t secs = timegm(&utc);
  if (secs == static_cast<time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(secs - offset);
}

}  // namespace wpe
