#include "ctl/progress_notice.h"

namespace wpe::ctl {

ProgressNotice::ProgressNotice(std::ostream& err, std::string message,
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
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (changed_.wait_for(lock, delay_, [this] { return stopped_; })) return;
    err_ << message_ << std::flush;
    shown_ = true;
    changed_.notify_all();
    while (detail_) {
      lock.unlock();
      std::string detail = detail_();
      lock.lock();
      if (stopped_) return;
      err_ << "\r\033[K" << message_ << detail << std::flush;
      if (changed_.wait_for(lock, refresh_, [this] { return stopped_; })) return;
    }
  });
}

void ProgressNotice::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  if (shown_) {
    err_ << "\r\033[K" << std::flush;  // erase the notice: the answer has arrived
    shown_ = false;
  }
}

bool ProgressNotice::shown() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return shown_;
}

void ProgressNotice::waitUntilSettled() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return shown_ || stopped_; });
}

}  // namespace wpe::ctl
