#include "daemon/upstream/interruptible_sleeper.h"

#include <catch2/catch.hpp>
#include <thread>

using namespace wpe;

TEST_CASE("InterruptibleSleeper: interrupt() wakes sleepers at once and for good", "[sleeper]") {
  InterruptibleSleeper sleeper;
  CHECK(sleeper.sleepFor(std::chrono::milliseconds(1)));
  bool result = true;
  const auto start = std::chrono::steady_clock::now();
  std::thread sleeping([&] { result = sleeper.sleepFor(std::chrono::minutes(10)); });
  sleeper.interrupt();
  sleeping.join();
  CHECK_FALSE(result);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  CHECK_FALSE(sleeper.sleepFor(std::chrono::minutes(10)));  // returns at once after shutdown
}
