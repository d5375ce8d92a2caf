#pragma once
// ProgressNotice: "Syncing sites from the WP Engine API…" on a terminal when a request takes
// longer than `delay`. start() runs a small thread that waits for the delay or for stop(),
// whichever comes first; stop() (also run by the destructor) joins it and erases the line if
// it was shown. The stream is written only by that thread until stop() returns.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace wpe::ctl {

class ProgressNotice {
 public:
  ProgressNotice(std::ostream& err, std::string message, std::chrono::milliseconds delay);
  ~ProgressNotice();
  ProgressNotice(const ProgressNotice&) = delete;
  ProgressNotice& operator=(const ProgressNotice&) = delete;

  void start();
  void stop();
  bool shown() const;
  // Blocks until the message was shown or stop() ran (for tests).
  void waitUntilSettled();

 private:
  std::ostream& err_;
  std::string message_;
  std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopped_ = false;
  bool shown_ = false;
  std::thread thread_;
};

}  // namespace wpe::ctl
