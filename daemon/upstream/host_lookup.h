#pragma once
// HostLookup (PocoHttpTransport::resolve's) and HostLookupAbandoned. Thread-safe.

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>

#include <exception>
#include <optional>
#include <string>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace wpe {

// Thrown by a host lookup the exchange stopped waiting for.
struct HostLookupAbandoned : Poco::TimeoutException {
  using Poco::TimeoutException::TimeoutException;
};

// One host-name lookup, run on a thread of its own and waited for by the exchange until it
// answers or is abandoned (the exchange's deadline passed, or wped is stopping). The lookup's
// thread holds it too, so an abandoned lookup can finish (by the resolver's own timeout)
// after the exchange is gone; its answer is then dropped.
class HostLookup {
 public:
  void succeed(const Poco::Net::SocketAddress& address) EXCLUDES(mutex_) {
    {
      LockGuard lock(mutex_);
      address_ = address;
      done_ = true;
    }
    changed_.notifyAll();
  }
  void fail(std::exception_ptr failure) EXCLUDES(mutex_) {
    {
      LockGuard lock(mutex_);
      failure_ = std::move(failure);
      done_ = true;
    }
    changed_.notifyAll();
  }
  void abandon() EXCLUDES(mutex_) {
    {
      LockGuard lock(mutex_);
      abandoned_ = true;
    }
    changed_.notifyAll();
  }
  // The address, or the lookup's own exception; Poco::TimeoutException once abandoned.
  Poco::Net::SocketAddress wait(const std::string& host) EXCLUDES(mutex_) {
    LockGuard lock(mutex_);
    while (!done_ && !abandoned_) changed_.wait(mutex_);
    if (done_ && failure_) std::rethrow_exception(failure_);
    if (done_) return *address_;
    throw HostLookupAbandoned("looking up " + host + " was abandoned");
  }

 private:
  Mutex mutex_;
  CondVar changed_;
  bool done_ GUARDED_BY(mutex_) = false;
  bool abandoned_ GUARDED_BY(mutex_) = false;
  std::optional<Poco::Net::SocketAddress> address_ GUARDED_BY(mutex_);
  std::exception_ptr failure_ GUARDED_BY(mutex_);
};

}  // namespace wpe
