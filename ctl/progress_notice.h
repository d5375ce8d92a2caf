#pragma once
// ProgressNotice: "Syncing sites from the WP Engine API…" on a terminal when a request takes
// longer than `delay`. start() runs a small thread that waits for the delay or for stop(),
// whichever comes first; stop() (also run by the destructor) joins it and erases the line if
// it was shown. The stream is written only by that thread until stop() returns.
// With a `detail` function the line is redrawn every `refresh` after it was shown, as
// message + detail() (e.g. " 3 pages, 300 sites so far"); detail() runs on that thread
// without the lock held, so it may take its time (it asks wped on its own connection).

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "ctl/output.h"

namespace wpe::ctl {

class ProgressNotice {
 public:
  using Detail = std::function<std::string()>;
  ProgressNotice(Output& err, std::string message, std::chrono::milliseconds delay,
                 Detail detail = {},
                 std::chrono::milliseconds refresh = std::chrono::milliseconds(500));
  ~ProgressNotice();
  ProgressNotice(const ProgressNotice&) = delete;
  ProgressNotice& operator=(const ProgressNotice&) = delete;

  void start();
  void stop() EXCLUDES(mutex_);
  bool shown() const EXCLUDES(mutex_);
  // Blocks until the message was shown or stop() ran (for tests).
  void waitUntilSettled() EXCLUDES(mutex_);

 private:
  void run() EXCLUDES(mutex_);  // the thread: waits, shows, refreshes the detail

  Output& err_;
  std::string message_;
  std::chrono::milliseconds delay_;
  Detail detail_;
  std::chrono::milliseconds refresh_;
  mutable Mutex mutex_;
  CondVar changed_;
  bool stopped_ GUARDED_BY(mutex_) = false;
  bool shown_ GUARDED_BY(mutex_) = false;
  std::thread thread_;  // started by start(), joined by stop(): the owner's thread only
};

}  // namespace wpe::ctl
