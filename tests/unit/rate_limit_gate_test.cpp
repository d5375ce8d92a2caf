#include "daemon/upstream/rate_limit_gate.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <thread>

#include "daemon/profiles/request_coalescer.h"
#include "daemon/upstream/upstream_client.h"
#include "tests/unit/fakes.h"

using namespace wpe;
using std::chrono::seconds;
using wpe::testing::FakeClock;
using wpe::testing::FakeTransport;

namespace {

// Sleeping moves the fake clock, so a wait for the gate ends like it would for real.
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(FakeClock& clock) : clock_(clock) {}
  bool sleepFor(std::chrono::milliseconds d) override {
    clock_.advance(d);
    total += d;
    return true;
  }
  std::chrono::milliseconds total{0};

 private:
  FakeClock& clock_;
};

struct Fixture {
  FakeTransport transport;
  FakeClock clock;
  ClockSleeper sleeper{clock};
  RetryPolicy policy{{}, [] { return 0.0; }};
  RateLimitGate gate{clock};
  UpstreamClient client{transport, policy, sleeper, clock, Poco::Logger::get("test"), &gate};

  TransportOptions options(const std::string& profile, bool wait = false) {
    TransportOptions o;
    o.profile = profile;
    o.waitForRateLimit = wait;
    return o;
  }
  static HttpRequest get() {
    HttpRequest r;
    r.url = "https://api.example.test/v1/sites";
    return r;
  }
};

}  // namespace

TEST_CASE("RateLimitGate: closed for Retry-After, counting down in whole seconds", "[rate_limit]") {
  FakeClock clock;
  RateLimitGate gate(clock);
  CHECK_FALSE(gate.remaining("a"));
  gate.close("a", seconds(3));
  CHECK(gate.remaining("a") == seconds(3));
  CHECK_FALSE(gate.remaining("b"));
  clock.advance(std::chrono::milliseconds(1500));
  CHECK(gate.remaining("a") == seconds(2));  // rounded up, never 0 while closed
  gate.close("a", seconds(1));               // a shorter window does not shorten it
  CHECK(gate.remaining("a") == seconds(2));
  CHECK(gate.snapshot("a").until.has_value());
  clock.advance(std::chrono::milliseconds(1500));
  CHECK_FALSE(gate.remaining("a"));
  CHECK_FALSE(gate.snapshot("a").until.has_value());
}

TEST_CASE("UpstreamClient: a 429 with Retry-After holds the profile back without sending",
          "[rate_limit][upstream_client]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(429, "{}", {{"Retry-After", "3"}}));
  auto first = f.client.exchange(Fixture::get(), f.options("a"));
  REQUIRE(first);
  CHECK(first->status == 429);  // returned as it came, no retry inside the call
  CHECK(f.transport.requestCount() == 1);

  auto held = f.client.exchange(Fixture::get(), f.options("a"));
  REQUIRE_FALSE(held);
  CHECK(held.error().code == ErrorCode::RateLimited);
  CHECK(held.error().retryAfter == seconds(3));
  CHECK(f.transport.requestCount() == 1);
  CHECK(f.gate.snapshot("a").heldBack == 1);

  SECTION("another profile is not held back") {
    f.transport.enqueue(FakeTransport::json(200, "{}"));
    CHECK(f.client.exchange(Fixture::get(), f.options("b")));
    CHECK(f.transport.requestCount() == 2);
  }
  SECTION("a sync waits the window out, then sends") {
    f.transport.enqueue(FakeTransport::json(200, "{}"));
    auto waited = f.client.exchange(Fixture::get(), f.options("a", true));
    REQUIRE(waited);
    CHECK(waited->status == 200);
    CHECK(f.sleeper.total >= seconds(3));
    CHECK(f.transport.requestCount() == 2);
  }
  SECTION("after the window a request goes upstream") {
    f.clock.advance(seconds(3));
    f.transport.enqueue(FakeTransport::json(200, "{}"));
    CHECK(f.client.exchange(Fixture::get(), f.options("a")));
    CHECK(f.transport.requestCount() == 2);
  }
}

TEST_CASE("RequestCoalescer: concurrent identical calls share one, later calls run again",
          "[rate_limit][coalescer]") {
  RequestCoalescer coalescer;
  std::atomic<int> calls{0};
  std::promise<void> release;
  auto gate = release.get_future().share();
  auto slow = [&]() -> Result<HttpResponse> {
    ++calls;
    gate.wait();
    return FakeTransport::json(200, "same");
  };
  std::vector<std::thread> threads;
  std::vector<std::string> bodies(5);
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] { bodies[i] = coalescer.run("p", "sites?", slow)->body; });
  }
  // Every waiter is counted before the first call is released.
  while (coalescer.coalesced("p") < 4) std::this_thread::yield();
  release.set_value();
  for (auto& t : threads) t.join();
  CHECK(calls == 1);
  CHECK(bodies == std::vector<std::string>(5, "same"));
  CHECK(coalescer.coalesced("p") == 4);
  CHECK(coalescer.coalesced("q") == 0);
  CHECK(coalescer.run("p", "sites?", slow)->body == "same");
  CHECK(calls == 2);
}
