#pragma once
// SocketCutter: how a DeadlineWatch (or wped stopping) interrupts one upstream exchange.
// Thread-safe.

#include <sys/socket.h>

#include <memory>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "daemon/upstream/host_lookup.h"

namespace wpe {

// The socket a deadline or a shutdown cuts. shutdown(2) from the watch's thread wakes the
// exchange's blocked call; the fd stays open, and the exchange's, until the exchange closes it
// — after its Ticket was disarmed, so a cut never reaches a reused fd number. Before there is a
// socket, a cut abandons the host lookup the exchange waits for.
class SocketCutter {
 public:
  void watchLookup(std::shared_ptr<HostLookup> lookup) EXCLUDES(mutex_) {
    LockGuard lock(mutex_);
    lookup_ = std::move(lookup);
    if (cut_) lookup_->abandon();
  }
  void setFd(int fd) EXCLUDES(mutex_) {
    LockGuard lock(mutex_);
    fd_ = fd;
    if (cut_ && fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }
  void cut() EXCLUDES(mutex_) {
    LockGuard lock(mutex_);
    cut_ = true;
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
    if (lookup_) lookup_->abandon();
  }

 private:
  Mutex mutex_;
  std::shared_ptr<HostLookup> lookup_ GUARDED_BY(mutex_);
  int fd_ GUARDED_BY(mutex_) = -1;
  bool cut_ GUARDED_BY(mutex_) = false;
};

}  // namespace wpe
