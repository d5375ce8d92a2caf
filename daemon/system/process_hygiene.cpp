#include "daemon/system/process_hygiene.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include "common/undumpable.h"

namespace wpe {

Status applyProcessHygiene() {
  ::umask(077);
  if (auto undumpable = makeUndumpable(); !undumpable) return undumpable;
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
