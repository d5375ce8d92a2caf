#include "load_runner.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wpe::bench {

namespace {

enum class Phase { kConnecting, kWarmup, kMeasure, kStop };

using SteadyClock = std::chrono::steady_clock;

// What the load threads and the coordinating thread share for one run.
struct Shared {
  std::atomic<Phase> phase{Phase::kConnecting};
  std::mutex mutex;
  std::condition_variable changed;
  int connected = 0;                // guarded by mutex
  bool budgetSpent = false;         // guarded by mutex
  std::optional<Error> firstError;  // guarded by mutex; only the first failure is kept

  void fail(int connection, const Error& error) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!firstError) {
      firstError = error;
      firstError->message = "connection " + std::to_string(connection) + ": " + error.message;
    }
    changed.notify_all();
  }
};

void clientLoop(int index, const RoundTripFactory& factory, std::size_t budget, Shared& shared,
                std::vector<std::uint64_t>& samples) {
  auto roundTrip = factory();
  {
    std::unique_lock<std::mutex> lock(shared.mutex);
    if (!roundTrip) {
      lock.unlock();
      shared.fail(index, roundTrip.error());
      return;
    }
    ++shared.connected;
    shared.changed.notify_all();
    shared.changed.wait(lock, [&] { return shared.phase.load() != Phase::kConnecting; });
  }
  samples.reserve(budget);
  for (;;) {
    Phase before = shared.phase.load(std::memory_order_relaxed);
    if (before == Phase::kStop) return;
    auto start = SteadyClock::now();
    Status status = roundTrip.value()->run();
    auto end = SteadyClock::now();
    if (!status) {
      if (shared.phase.load() != Phase::kStop) shared.fail(index, status.error());
      return;
    }
    // Only round trips that began and ended inside the window count.
    if (before == Phase::kMeasure &&
        shared.phase.load(std::memory_order_relaxed) == Phase::kMeasure) {
      samples.push_back(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count()));
      if (samples.size() >= budget) {
        std::lock_guard<std::mutex> lock(shared.mutex);
        shared.budgetSpent = true;
        shared.changed.notify_all();
        return;
      }
    }
  }
}

}  // namespace

Result<LatencySummary> LoadRunner::run(int clients, const RoundTripFactory& factory) const {
  Shared shared;
  std::vector<std::vector<std::uint64_t>> samples(static_cast<std::size_t>(clients));
  std::size_t budget = std::max<std::size_t>(1, settings_.maxSamples / clients);
  std::vector<std::thread> threads;
  threads.reserve(samples.size());
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back(clientLoop, i + 1, std::cref(factory), budget, std::ref(shared),
                         std::ref(samples[static_cast<std::size_t>(i)]));
  }

  SteadyClock::time_point windowStart, windowEnd;
  {
    std::unique_lock<std::mutex> lock(shared.mutex);
    auto failed = [&] { return shared.firstError.has_value(); };
    shared.changed.wait(lock, [&] { return failed() || shared.connected == clients; });
    if (!failed()) {
      shared.phase = Phase::kWarmup;
      shared.changed.notify_all();
      shared.changed.wait_for(lock, settings_.warmup, failed);
    }
    if (!failed()) {
      windowStart = SteadyClock::now();
      shared.phase = Phase::kMeasure;
      shared.changed.wait_until(lock, windowStart + settings_.window,
                                [&] { return failed() || shared.budgetSpent; });
    }
    windowEnd = SteadyClock::now();
    shared.phase = Phase::kStop;
    shared.changed.notify_all();  // threads still waiting to start
  }
  for (auto& thread : threads) thread.join();
  if (shared.firstError) return *shared.firstError;

  std::vector<std::uint64_t> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::chrono::duration<double> seconds = windowEnd - windowStart;
  return LatencySummary::fromSamples(all, seconds.count());
}

}  // namespace wpe::bench
