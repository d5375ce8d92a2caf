#pragma once
// wpectl's exit codes (docs/interface.md "wpectl exit codes"): scripts branch on these.

#include "common/error.h"

namespace wpe::ctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,          // upstream or internal error
  kExitUsage = 2,          // bad command line
  kExitUnreachable = 3,    // nothing answers on the socket
  kExitLoginRequired = 4,  // the profile needs `wpectl login`
};

// The exit code for an error the daemon reported.
ExitCode exitCodeFor(ErrorCode code);

}  // namespace wpe::ctl
