#pragma once
// RFC 3339 timestamps, the form every persisted, sent or displayed wall time takes
// (docs/local-api.md): one parser for wped and wpectl. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wpe {

// Seconds since the epoch for "YYYY-MM-DD(T|t| )HH:MM:SS[.digits](Z|z|±HH:MM)" (at most 40
// characters; the fraction is dropped: whole seconds suffice); nullopt for anything else.
std::optional<std::int64_t> parseRfc3339Seconds(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ": whole seconds, always UTC.
std::string formatRfc3339Seconds(std::int64_t secondsSinceEpoch);

}  // namespace wpe
