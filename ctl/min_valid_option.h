#pragma once
// The --min-valid SECONDS option of `token` and `exec`: a whole number from 0 to 86400 (wped's
// own bound), checked here so a typo is a usage error (exit 2) rather than a daemon answer.

#include <optional>
#include <string>

#include "common/result.h"

namespace wpe::ctl {

// The "?min_valid=N" query for `value`, or BadRequest saying what is accepted.
Result<std::string> minValidQuery(const std::string& value);

}  // namespace wpe::ctl
