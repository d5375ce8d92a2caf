#pragma once
// ChildProcess: the command `wpectl exec` runs. Started with posix_spawnp (PATH searched as a
// shell would) and exactly the environment given — wpectl's own environment is never changed,
// so the credential exists only in the child's.
//
// While it runs, SIGINT, SIGTERM and SIGHUP sent to wpectl are forwarded to it (a signal the
// terminal sent to the whole foreground group is not sent twice). At most one ChildProcess at
// a time per process (the forwarding handler is process-wide).
//
// captureOutput: the child's stdout and stderr are pipes read through outFd()/errFd() (for
// --mask); otherwise all three standard streams are inherited unchanged.

#include <string>
#include <vector>

#include "common/result.h"

namespace wpe::ctl {

class ChildProcess {
 public:
  // Error (NotFound: no such program → exit 127 as sh; otherwise Internal → 126) when it could
  // not be started; nothing is left running then.
  static Result<ChildProcess> start(const std::vector<std::string>& argv,
                                    const std::vector<std::string>& environment,
                                    bool captureOutput);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  int outFd() const { return outFd_; }  // -1 without captureOutput
  int errFd() const { return errFd_; }

  // Waits for the child to end: its exit status, or 128+N when signal N killed it (as shells
  // report it). Stops the signal forwarding.
  int wait();

 private:
  ChildProcess(int pid, int outFd, int errFd) : pid_(pid), outFd_(outFd), errFd_(errFd) {}

  int pid_ = -1;
  int outFd_ = -1;
  int errFd_ = -1;
};

}  // namespace wpe::ctl
