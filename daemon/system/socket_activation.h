#pragma once
// Socket activation (sd_listen_fds protocol), checked strictly: when LISTEN_PID or
// LISTEN_FDS is set, LISTEN_PID must be our pid, LISTEN_FDS exactly 1, and fd 3 a listening
// Unix stream socket; anything else is an Error saying what was wrong (wped exits). The
// variables are removed from the environment so children never inherit them.
// Call once, at start, before any thread exists (it edits the environment).

#include <optional>

#include "common/result.h"

namespace wpe {

// The passed listening fd, or nullopt when wped was not socket-activated.
Result<std::optional<int>> takeActivatedSocket();

}  // namespace wpe
