#pragma once
// GlibWorker: one dedicated thread that owns its own GMainContext (pushed as the thread
// default) and runs GLib/libsecret jobs one at a time, so blocking D-Bus calls never run on
// a caller's thread and GLib's thread-default-context rules hold.
//
// Callers submit a job and wait at most `deadline`. On timeout the job's GCancellable is
// cancelled and the caller gets TimedOut; while that job is still running (stuck), further
// run() calls return Busy at once instead of piling up behind it.
//
// Jobs must not capture references to the caller's stack or to objects that may die before
// the job runs: capture shared_ptrs or values (a timed-out job may still finish later, and
// after a stuck stop() the thread is detached).
//
// Thread-safety: run() may be called from any thread. start() and the destructor from the
// owner. No thread is started before start().

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "common/result.h"

typedef struct _GCancellable GCancellable;  // NOLINT: same typedef as <gio/gio.h>

namespace wpe {

class GlibWorker {
 public:
  enum class Outcome { Done, TimedOut, Busy, Stopped };
  using Job = std::function<void(GCancellable* cancellable)>;

  explicit GlibWorker(std::chrono::milliseconds deadline);
  ~GlibWorker();  // stop(): waits at most the deadline for the thread, then detaches it
  GlibWorker(const GlibWorker&) = delete;
  GlibWorker& operator=(const GlibWorker&) = delete;

  // Starts the thread. Fails with Internal if the thread cannot be created. Idempotent.
  Status start();
  void stop();

  // Runs `job` on the worker thread and waits for it, at most the deadline.
  // Done: the job ran to completion. TimedOut: the caller gave up (the job was cancelled).
  // Busy: an earlier job is stuck, or too many are queued. Stopped: not started or stopping.
  Outcome run(Job job);

  std::chrono::milliseconds deadline() const { return deadline_; }

 private:
  struct Shared;
  static void loop(std::shared_ptr<Shared> shared);

  const std::chrono::milliseconds deadline_;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace wpe
