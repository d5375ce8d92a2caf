#pragma once
// RFC 3339 UTC timestamps ("2027-01-15T08:00:00Z"), the form every persisted or displayed
// wall time takes (docs/interface.md "Time format"). Free functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "daemon/core/clock.h"

namespace wpe {

// Whole seconds, always UTC with a "Z".
std::string formatRfc3339(WallTime t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; nullopt for anything else.
std::optional<WallTime> parseRfc3339(std::string_view text);

}  // namespace wpe
