#pragma once
// RFC 3339 UTC timestamps ("2027-01-15T08:00:00Z") as the daemon's WallTime: thin wrappers
// over common/rfc3339.h, the one parser wped and wpectl share. Free functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "daemon/time/clock.h"

namespace wpe {

// Whole seconds, always UTC with a "Z".
std::string formatRfc3339(WallTime t);

// What parseRfc3339Seconds accepts; nullopt for anything else.
std::optional<WallTime> parseRfc3339(std::string_view text);

}  // namespace wpe
