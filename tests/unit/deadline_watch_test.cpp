#include "daemon/upstream/deadline_watch.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>

#include "tests/unit/fakes.h"

using namespace wpe;
using std::chrono::milliseconds;
using std::chrono::seconds;
using wpe::testing::FakeClock;

TEST_CASE("DeadlineWatch: an action runs once, when its deadline has passed", "[deadline_watch]") {
  FakeClock clock;
  DeadlineWatch watch(clock);
  int runs = 0;
  auto ticket = watch.arm(seconds(60), [&] { ++runs; });
  const BootTime armedAt = clock.boottime();

  CHECK(watch.fireDue() == armedAt + seconds(60));  // the earliest deadline still armed
  clock.advance(seconds(59));
  watch.fireDue();
  CHECK(runs == 0);
  CHECK(ticket->reason() == AbortReason::None);

  clock.advance(seconds(1));
  CHECK(watch.fireDue() == BootTime::max());
  CHECK(runs == 1);
  CHECK(ticket->reason() == AbortReason::DeadlinePassed);
  watch.fireDue();
  CHECK(runs == 1);
}

TEST_CASE("DeadlineWatch: only the overdue exchanges are cut", "[deadline_watch]") {
  FakeClock clock;
  DeadlineWatch watch(clock);
  int shortRuns = 0, longRuns = 0;
  auto slow = watch.arm(seconds(5), [&] { ++shortRuns; });
  auto patient = watch.arm(seconds(60), [&] { ++longRuns; });
  clock.advance(seconds(6));
  CHECK(watch.fireDue() == clock.boottime() + seconds(54));
  CHECK(shortRuns == 1);
  CHECK(longRuns == 0);
  CHECK(patient->reason() == AbortReason::None);
}

TEST_CASE("DeadlineWatch: a disarmed ticket's action never runs", "[deadline_watch]") {
  FakeClock clock;
  DeadlineWatch watch(clock);
  int runs = 0;
  watch.arm(seconds(1), [&] { ++runs; });  // the exchange finished: the ticket is gone
  clock.advance(seconds(2));
  watch.fireDue();
  watch.cancelAll();
  CHECK(runs == 0);
}

TEST_CASE("DeadlineWatch: cancelAll cuts every exchange now and every later one at once",
          "[deadline_watch]") {
  FakeClock clock;
  DeadlineWatch watch(clock);
  int runs = 0;
  auto a = watch.arm(seconds(60), [&] { ++runs; });
  auto b = watch.arm(seconds(600), [&] { ++runs; });
  watch.cancelAll();
  CHECK(runs == 2);
  CHECK(a->reason() == AbortReason::ShuttingDown);
  CHECK(b->reason() == AbortReason::ShuttingDown);
  CHECK(watch.cancelled());

  auto later = watch.arm(seconds(60), [&] { ++runs; });
  CHECK(runs == 3);
  CHECK(later->reason() == AbortReason::ShuttingDown);
  clock.advance(seconds(61));
  watch.fireDue();
  CHECK(runs == 3);  // once, not again at the deadline
}

TEST_CASE("DeadlineWatch: its thread fires a deadline on the real clock", "[deadline_watch]") {
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  std::mutex mutex;
  std::condition_variable cv;
  bool fired = false;
  const auto start = std::chrono::steady_clock::now();
  auto ticket = watch.arm(milliseconds(50), [&] {
    std::lock_guard lock(mutex);
    fired = true;
    cv.notify_all();
  });
  std::unique_lock lock(mutex);
  REQUIRE(cv.wait_for(lock, seconds(5), [&] { return fired; }));
  CHECK(std::chrono::steady_clock::now() - start >= milliseconds(50));
  lock.unlock();
  CHECK(ticket->reason() == AbortReason::DeadlinePassed);
  watch.stop();
}
