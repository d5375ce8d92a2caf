#include "daemon/credentials/glib_worker.h"

#include <gio/gio.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using wpe::GlibWorker;
using Steady = std::chrono::steady_clock;

namespace {

// A gate a job can block on until the test opens it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [this] { return open; });
  }
};

}  // namespace

TEST_CASE("GlibWorker: jobs run on one thread with its own default main context", "[glib_worker]") {
  GlibWorker worker(2000ms);
  REQUIRE(worker.start());
  std::thread::id first, second;
  GMainContext* context = nullptr;
  REQUIRE(worker.run([&](GCancellable*) {
    first = std::this_thread::get_id();
    context = g_main_context_get_thread_default();
  }) == GlibWorker::Outcome::Done);
  REQUIRE(worker.run([&](GCancellable*) { second = std::this_thread::get_id(); }) ==
          GlibWorker::Outcome::Done);
  CHECK(first == second);
  CHECK(first != std::this_thread::get_id());
  CHECK(context != nullptr);
  CHECK(context != g_main_context_default());
}

TEST_CASE("GlibWorker: calls before start() fail instead of blocking", "[glib_worker]") {
  GlibWorker worker(2000ms);
  bool ran = false;
  CHECK(worker.run([&](GCancellable*) { ran = true; }) == GlibWorker::Outcome::Stopped);
  CHECK_FALSE(ran);
}

TEST_CASE("GlibWorker: a slow job costs the caller one deadline and is cancelled",
          "[glib_worker]") {
  GlibWorker worker(200ms);
  REQUIRE(worker.start());
  auto gate = std::make_shared<Gate>();
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto t0 = Steady::now();
  // The job ignores cancellation until the gate opens, like a stuck D-Bus call.
  CHECK(worker.run([gate, cancelled](GCancellable* c) {
    gate->wait();
    *cancelled = g_cancellable_is_cancelled(c);
  }) == GlibWorker::Outcome::TimedOut);
  CHECK(Steady::now() - t0 < 1s);

  SECTION("while it is stuck, further calls fail at once") {
    auto t1 = Steady::now();
    bool ran = false;
    CHECK(worker.run([&](GCancellable*) { ran = true; }) == GlibWorker::Outcome::Busy);
    CHECK(Steady::now() - t1 < 100ms);
    CHECK_FALSE(ran);
    gate->release();
  }
  SECTION("once it finishes, the worker serves again") {
    gate->release();
    bool ran = false;
    // The stuck job may still be finishing: poll until it has, for at most 2 s.
    GlibWorker::Outcome outcome = GlibWorker::Outcome::Busy;
    const auto giveUp = Steady::now() + 2s;
    while (outcome == GlibWorker::Outcome::Busy && Steady::now() < giveUp) {
      outcome = worker.run([&](GCancellable*) { ran = true; });
    }
    CHECK(outcome == GlibWorker::Outcome::Done);
    CHECK(ran);
    CHECK(*cancelled);
  }
}

TEST_CASE("GlibWorker: destruction with a stuck job takes at most the deadline", "[glib_worker]") {
  auto gate = std::make_shared<Gate>();
  auto t0 = Steady::now();
  {
    GlibWorker worker(200ms);
    REQUIRE(worker.start());
    CHECK(worker.run([gate](GCancellable*) { gate->wait(); }) == GlibWorker::Outcome::TimedOut);
  }
  CHECK(Steady::now() - t0 < 1500ms);
  gate->release();  // lets the detached thread finish
}
