#include "ctl/progress_notice.h"

namespace wpe::ctl {

ProgressNotice::ProgressNotice(Output& err, std::string message,
                               std::chrono::milliseconds delay, Detail detail,
                               std::chrono::milliseconds refresh)
    : err_(err),
      message_(std::move(message)),
      delay_(delay),
      detail_(std::move(detail)),
      refresh_(refresh) {}

ProgressNotice::~ProgressNotice() { stop(); }

void ProgressNotice::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void ProgressNotice::run() {
  LockGuard lock(mutex_);
  auto until = std::chrono::steady_clock::now() + delay_;
  while (!stopped_ && changed_.waitUntil(mutex_, until)) {
  }
  if (stopped_) return;
  err_ << message_;
  err_.flush();
  shown_ = true;
  changed_.notifyAll();
  while (detail_) {
    lock.unlock();
    std::string detail = detail_();
    lock.lock();
    if (stopped_) return;
    err_ << "\r\033[K" << message_ << detail;
    err_.flush();
    until = std::chrono::steady_clock::now() + refresh_;
    while (!stopped_ && changed_.waitUntil(mutex_, until)) {
    }
    if (stopped_) return;
  }
}

void ProgressNotice::stop() {
  {
    LockGuard lock(mutex_);
    stopped_ = true;
  }
  changed_.notifyAll();
  if (thread_.joinable()) thread_.join();
  LockGuard lock(mutex_);
  if (shown_) {
    err_ << "\r\033[K";  // erase the notice: the answer has arrived
    err_.flush();
    shown_ = false;
  }
}

bool ProgressNotice::shown() const {
  LockGuard lock(mutex_);
  return shown_;
}

void ProgressNotice::waitUntilSettled() {
  LockGuard lock(mutex_);
  while (!shown_ && !stopped_) changed_.wait(mutex_);
}

}  // namespace wpe::ctl
