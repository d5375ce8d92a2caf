#include "ctl/exit_codes.h"

namespace wpe::ctl {

ExitCode exitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::LoginRequired:
      return kExitLoginRequired;
    case ErrorCode::BadRequest:
      return kExitUsage;
    default:
      return kExitError;
  }
}

}  // namespace wpe::ctl
