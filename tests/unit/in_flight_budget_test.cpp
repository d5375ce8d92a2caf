#include "daemon/sync/in_flight_budget.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using namespace wpe;

TEST_CASE("InFlightBudget: never more slots held than its capacity, however many ask",
          "[in_flight_budget]") {
  InFlightBudget budget(3);
  std::atomic<int> held{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto slot = budget.acquire();
        const int now = ++held;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(most.load() <= 3);
  CHECK(most.load() >= 2);  // the slots really were shared out concurrently
  CHECK(budget.maxInUse() == static_cast<std::size_t>(most.load()));
  CHECK(budget.capacity() == 3);
}

TEST_CASE("InFlightBudget: a slot is given back when it goes out of scope, also when moved",
          "[in_flight_budget]") {
  InFlightBudget budget(1);
  {
    auto slot = budget.acquire();
    InFlightBudget::Slot moved(std::move(slot));
  }
  auto again = budget.acquire();  // would block forever if the slot had leaked
  CHECK(budget.maxInUse() == 1);
  CHECK(InFlightBudget(0).capacity() == 1);
}

TEST_CASE("InFlightBudget: a freed slot goes to the highest priority waiting",
          "[in_flight_budget]") {
  InFlightBudget budget(1);
  std::optional<InFlightBudget::Slot> held(budget.acquire());
  std::mutex orderMutex;
  std::vector<std::size_t> order;
  std::vector<std::thread> threads;
  // Waiting in the order 1, 200, 3, 200: served 200, 200, 3, 1.
  for (std::size_t priority : {1, 200, 3, 200}) {
    const std::size_t before = budget.waiting();
    threads.emplace_back([&, priority] {
      auto slot = budget.acquire(priority);
      std::lock_guard<std::mutex> lock(orderMutex);
      order.push_back(priority);
    });
    while (budget.waiting() == before) std::this_thread::yield();
  }
  held.reset();
  for (auto& t : threads) t.join();
  CHECK(order == std::vector<std::size_t>{200, 200, 3, 1});
  CHECK(budget.waiting() == 0);
  CHECK(budget.maxInUse() == 1);
}
