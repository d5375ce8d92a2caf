#pragma once
// Relative times for wpectl's human output: "synced 3 min ago". Pure functions.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wpe::ctl {

// Seconds since the epoch for an RFC 3339 time ("2026-11-28T09:19:20Z", fractions and
// "+hh:mm" offsets accepted); nullopt when it is not one.
std::optional<std::int64_t> parseRfc3339Seconds(std::string_view text);

// "just now" (under a minute or in the future), "N min ago", "N h ago", "N days ago".
std::string formatAge(std::chrono::seconds age);

}  // namespace wpe::ctl
