#include "daemon/time/rfc3339.h"

#include "common/rfc3339.h"

namespace wpe {

std::string formatRfc3339(WallTime t) {
  return formatRfc3339Seconds(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

std::optional<WallTime> parseRfc3339(std::string_view text) {
  auto seconds = parseRfc3339Seconds(text);
  if (!seconds) return std::nullopt;
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::seconds(*seconds)));
}

}  // namespace wpe
