#include "ctl/exit_codes.h"

namespace wpe::ctl {

ExitCode exitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::LoginRequired:
      return kExitLoginRequired;
    case ErrorCode::BadRequest:
      return kExitUsage;
    case ErrorCode::CacheUnavailable:  // the cache cannot hold lists now: an error like
    case ErrorCode::CacheFull:         // upstream ones (tokens and `wpectl api` still work)
      return kExitError;
    default:
      return kExitError;
  }
}

}  // namespace wpe::ctl
