#include "daemon/profiles/scheduler.h"

#include <catch2/catch.hpp>
#include <thread>

#include "daemon/profiles/profile_registry.h"
#include "tests/unit/profile_stack.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

const std::string kApi = "https://api.example.test/v1";

// Polls `done` for up to 5 s (the scheduler's threads run on their own time); far less than
// Scheduler::kMaxSleep, so a test that passes did not wait for the supervisor's own timer.
template <typename Predicate>
bool eventually(Predicate done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

struct Fixture : ProfileStack {
  ProfileRegistry registry{services, false};
  Scheduler scheduler{registry, store, clock, Poco::Logger::get("test")};
};

}  // namespace

TEST_CASE("Scheduler: start gives every profile a worker that restores its credential",
          "[scheduler]") {
  Fixture f;
  (void)f.registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));
  CHECK(f.store.loads() == 0);  // nothing runs before start()
  f.scheduler.start();
  CHECK(f.store.waitForLoads(2));  // one keyring read per profile, each on its own worker
  f.scheduler.stop();
}

TEST_CASE("Scheduler: the credential store's state reaches status by the supervisor's probe",
          "[scheduler]") {
  Fixture f;
  (void)f.registry.apply(ProfileStack::config({{"default", kApi}}));
  CHECK(f.registry.credentialStore().state == "unknown");  // not probed yet
  f.store.setStatus({StoreState::Locked, "the login keyring is locked"});
  f.scheduler.start();
  CHECK(eventually([&] { return f.registry.credentialStore().state == "locked"; }));

  SECTION("wake() probes again at once, not after kMaxSleep") {
    f.store.setStatus({StoreState::Ready, ""});
    f.scheduler.wake();
    CHECK(eventually([&] { return f.registry.credentialStore().state == "ready"; }));
  }
  f.scheduler.stop();
}

TEST_CASE("Scheduler: a profile added by a reload gets its worker on wake()", "[scheduler]") {
  Fixture f;
  (void)f.registry.apply(ProfileStack::config({{"default", kApi}}));
  f.scheduler.start();
  REQUIRE(f.store.waitForLoads(1));

  (void)f.registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));
  f.scheduler.wake();
  CHECK(f.store.waitForLoads(2));  // the new profile's credential is read

  SECTION("a rebuilt profile's new object is restored too") {
    (void)f.registry.apply(
        ProfileStack::config({{"default", "https://other.example.test/v1"}, {"work", kApi}}));
    f.scheduler.wake();
    CHECK(f.store.waitForLoads(3));
  }
  f.scheduler.stop();
}

TEST_CASE("Scheduler: after stop() no worker runs and a wake starts none", "[scheduler]") {
  Fixture f;
  (void)f.registry.apply(ProfileStack::config({{"default", kApi}}));
  f.scheduler.start();
  REQUIRE(f.store.waitForLoads(1));
  f.scheduler.stop();
  const int loads = f.store.loads();

  (void)f.registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));
  f.scheduler.wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(f.store.loads() == loads);
  f.scheduler.stop();  // idempotent
}
