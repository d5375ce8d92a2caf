#include "common/undumpable.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace wpe {

Status makeUndumpable() {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Error(ErrorCode::Internal,
                 std::string("prctl(PR_SET_DUMPABLE): ") + std::strerror(errno));
  }
  rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0) {
    return Error(ErrorCode::Internal,
                 std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno));
  }
  return {};
}

}  // namespace wpe
