#include "daemon/system/process_hygiene.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace wpe {

Status applyProcessHygiene() {
  ::umask(077);
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Error(ErrorCode::Internal,
                 std::string("prctl(PR_SET_DUMPABLE): ") + std::strerror(errno));
  }
  rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0) {
    return Error(ErrorCode::Internal,
                 std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno));
  }
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, sig);
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) {
    return Error(ErrorCode::Internal, "cannot block termination signals");
  }
  return {};
}

}  // namespace wpe
