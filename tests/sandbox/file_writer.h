#pragma once
// writeFileAtomically: writes `content` to `path` with exactly `mode` (fchmod, so the umask does
// not matter) by way of a temporary file in the same directory and rename(2), so a reader
// never sees a partial file — sandbox.json's appearance is the ready signal.

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace wpe {

Status writeFileAtomically(const std::string& path, const std::string& content, mode_t mode);

}  // namespace wpe
