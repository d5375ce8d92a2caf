#pragma once
// makeUndumpable: while a process holds a secret, no core dump may carry it and no other
// process of the same user may read its memory. PR_SET_DUMPABLE 0 (no core, no ptrace or
// /proc/PID/mem|environ by same-uid processes without CAP_SYS_PTRACE; its /proc/PID files
// become root's) and RLIMIT_CORE 0. Lasts for the life of the process (an exec'd child starts
// dumpable again). wped applies it at start (process_hygiene), wpectl for a login.

#include "common/result.h"

namespace wpe {

// Internal error naming the call that failed; the process is then left as it was.
Status makeUndumpable();

}  // namespace wpe
