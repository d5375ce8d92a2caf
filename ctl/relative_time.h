#pragma once
// Relative times for wpectl's human output: "synced 3 min ago". Pure functions.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/rfc3339.h"

namespace wpe::ctl {

// RFC 3339 times are read by the one parser wped shares (common/rfc3339.h).
using wpe::parseRfc3339Seconds;

// "just now" (under a minute or in the future), "N min ago", "N h ago", "N days ago".
std::string formatAge(std::chrono::seconds age);

}  // namespace wpe::ctl
