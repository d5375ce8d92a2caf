#pragma once
// Process hygiene at start (docs/security.md rule 17), before any thread exists:
// umask 077, not dumpable (PR_SET_DUMPABLE 0: no core, no ptrace by same-uid processes
// without CAP_SYS_PTRACE), RLIMIT_CORE 0, SIGPIPE ignored, and SIGINT/SIGTERM/SIGQUIT/SIGHUP
// blocked in every thread so only TerminationWaiter's sigwait() receives them.
// Children started later must unblock the signals they inherit (posix_spawnattr_setsigmask).

#include "common/result.h"

namespace wpe {

Status applyProcessHygiene();

}  // namespace wpe
