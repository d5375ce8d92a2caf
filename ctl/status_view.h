#pragma once
// The human form of one profile's facts in `wpectl status`: the daemon sends them flat
// ("sites_count", "token_expires_at", …) so scripts read them easily; people get them
// grouped, with ages ("synced 3 min ago") and what needs doing. Unknown facts are shown as
// they came, so a newer daemon's additions are never hidden. Pure function.

#include <cstdint>
#include <string>

#include "common/wire.h"

namespace wpe::ctl {

// Lines (each ending in "\n", indented by `indent`) for the facts of `profile`, as of `now`
// (seconds since the epoch).
std::string profileFactLines(const ProfileStatus& profile, std::int64_t now,
                             const std::string& indent = "    ");

}  // namespace wpe::ctl
