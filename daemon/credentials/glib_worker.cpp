#include "daemon/credentials/glib_worker.h"

#include <gio/gio.h>

#include <deque>
#include <system_error>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace wpe {

namespace {

// 16 queued jobs: far more than the daemon's concurrent keyring users; beyond that the
// service is clearly not keeping up and callers are better served by a fast failure.
constexpr std::size_t kMaxQueued = 16;

struct Task {
  explicit Task(GlibWorker::Job j) : job(std::move(j)), cancellable(g_cancellable_new()) {}
  ~Task() { g_object_unref(cancellable); }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  GlibWorker::Job job;
  GCancellable* cancellable;
  // Guarded by the worker's Shared::mutex (not annotated: a Task does not know its worker).
  bool done = false;
  bool skipped = false;    // finished without running (stopping, or abandoned while queued)
  bool abandoned = false;  // its caller timed out
};

// Runs whatever is pending on the context (property-change signals, cancellation sources)
// so cached proxy state is current and nothing piles up between jobs.
void drain(GMainContext* context) {
  while (g_main_context_iteration(context, FALSE)) {
  }
}

}  // namespace

struct GlibWorker::Shared {
  Mutex mutex;
  CondVar changed;
  std::deque<std::shared_ptr<Task>> queue GUARDED_BY(mutex);
  std::shared_ptr<Task> running GUARDED_BY(mutex);
  bool started GUARDED_BY(mutex) = false;
  bool stopping GUARDED_BY(mutex) = false;
  bool exited GUARDED_BY(mutex) = false;
  // `running` was abandoned by its caller and has not finished yet
  bool stuck GUARDED_BY(mutex) = false;
};

GlibWorker::GlibWorker(std::chrono::milliseconds deadline)
    : deadline_(deadline), shared_(std::make_shared<Shared>()) {}

GlibWorker::~GlibWorker() { stop(); }

Status GlibWorker::start() {
  LockGuard lock(shared_->mutex);
  if (shared_->started) return {};
  try {
    thread_ = std::thread(&GlibWorker::loop, shared_);
  } catch (const std::system_error& e) {
    return Error(ErrorCode::Internal, std::string("cannot start the keyring thread: ") + e.what());
  }
  shared_->started = true;
  return {};
}

void GlibWorker::stop() {
  std::shared_ptr<Task> running;
  {
    LockGuard lock(shared_->mutex);
    if (!shared_->started || shared_->stopping) return;
    shared_->stopping = true;
    running = shared_->running;
    shared_->changed.notifyAll();
  }
  if (running) g_cancellable_cancel(running->cancellable);
  LockGuard lock(shared_->mutex);
  const auto until = std::chrono::steady_clock::now() + deadline_;
  while (!shared_->exited && shared_->changed.waitUntil(shared_->mutex, until)) {
  }
  const bool exited = shared_->exited;
  lock.unlock();
  // A job that ignores its cancellation must not hang shutdown: the thread owns only
  // shared state (`loop` holds its own shared_ptr), so detaching it is safe.
  if (exited) {
    thread_.join();
  } else {
    thread_.detach();
  }
}

GlibWorker::Outcome GlibWorker::run(Job job) {
  auto task = std::make_shared<Task>(std::move(job));
  LockGuard lock(shared_->mutex);
  if (!shared_->started || shared_->stopping) return Outcome::Stopped;
  if (shared_->stuck || shared_->queue.size() >= kMaxQueued) return Outcome::Busy;
  shared_->queue.push_back(task);
  shared_->changed.notifyAll();
  const auto until = std::chrono::steady_clock::now() + deadline_;
  while (!task->done && shared_->changed.waitUntil(shared_->mutex, until)) {
  }
  if (task->done) {
    return task->skipped ? Outcome::Stopped : Outcome::Done;
  }
  task->abandoned = true;
  if (shared_->running == task) shared_->stuck = true;  // else the loop skips it when popped
  lock.unlock();
  g_cancellable_cancel(task->cancellable);
  return Outcome::TimedOut;
}

void GlibWorker::loop(std::shared_ptr<Shared> shared) {
  GMainContext* context = g_main_context_new();
  g_main_context_push_thread_default(context);
  LockGuard lock(shared->mutex);
  for (;;) {
    while (!shared->stopping && shared->queue.empty()) shared->changed.wait(shared->mutex);
    if (shared->stopping) break;
    std::shared_ptr<Task> task = std::move(shared->queue.front());
    shared->queue.pop_front();
    if (task->abandoned) {
      task->done = task->skipped = true;
      continue;
    }
    shared->running = task;
    lock.unlock();
    drain(context);
    task->job(task->cancellable);
    drain(context);
    lock.lock();
    shared->running.reset();
    if (task->abandoned) shared->stuck = false;
    task->done = true;
    shared->changed.notifyAll();
  }
  for (auto& task : shared->queue) task->done = task->skipped = true;
  shared->queue.clear();
  lock.unlock();
  drain(context);
  g_main_context_pop_thread_default(context);
  g_main_context_unref(context);
  lock.lock();
  shared->exited = true;
  shared->changed.notifyAll();
}

}  // namespace wpe
