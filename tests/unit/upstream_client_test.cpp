#include "daemon/upstream/upstream_client.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>

#include "tests/unit/fakes.h"
#include "tests/unit/recording_sleeper.h"

using namespace wpe;
using std::chrono::milliseconds;
using wpe::testing::FakeClock;
using wpe::testing::FakeTransport;

namespace {

struct Fixture {
  FakeTransport transport;
  FakeClock clock;
  wpe::testing::RecordingSleeper sleeper;
  RetryPolicy policy{{}, [] { return 0.5; }};
  UpstreamClient client{transport, policy, sleeper, clock, Poco::Logger::get("test")};

  HttpRequest request(const std::string& method = "GET") {
    HttpRequest r;
    r.method = method;
    r.url = "https://api.example.test/v1/sites";
    return r;
  }
};

Error unreachable() { return Error(ErrorCode::UpstreamUnreachable, "connection refused"); }

}  // namespace

TEST_CASE("UpstreamClient: 503 with Retry-After 2 then 200 waits at least 2 s",
          "[upstream_client]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(503, "{}", {{"Retry-After", "2"}}));
  f.transport.enqueue(FakeTransport::json(200, R"({"ok":true})"));
  auto r = f.client.send(f.request(), {});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(f.transport.requestCount() == 2);
  REQUIRE(f.sleeper.sleeps().size() == 1);
  CHECK(f.sleeper.sleeps()[0] >= milliseconds(2000));
}

TEST_CASE("UpstreamClient: a final status is not retried", "[upstream_client]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(404, R"({"message":"Not Found"})"));
  auto r = f.client.send(f.request(), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::UpstreamError);
  CHECK(r.error().upstreamStatus == 404);
  CHECK(r.error().message.find("Not Found") != std::string::npos);
  CHECK(f.transport.requestCount() == 1);
  CHECK(f.sleeper.sleeps().empty());
}

TEST_CASE("UpstreamClient: POST is not retried on 503 but is retried when nothing was sent",
          "[upstream_client]") {
  Fixture f;
  SECTION("503 → one attempt") {
    f.transport.enqueue(FakeTransport::json(503, "{}"));
    auto r = f.client.send(f.request("POST"), {});
    REQUIRE_FALSE(r);
    CHECK(r.error().upstreamStatus == 503);
    CHECK(f.transport.requestCount() == 1);
  }
  SECTION("a transport failure the fake cannot place is treated as maybe sent") {
    f.transport.enqueue(unreachable());
    auto r = f.client.send(f.request("PATCH"), {});
    REQUIRE_FALSE(r);
    CHECK(f.transport.requestCount() == 1);
  }
  SECTION("a connect failure (NotSent) is retried") {
    wpe::testing::PhasedTransport phased;
    phased.outcomes.push_back({unreachable(), SendPhase::NotSent});
    phased.outcomes.push_back({FakeTransport::json(201, "{}"), SendPhase::MaybeSent});
    UpstreamClient client(phased, f.policy, f.sleeper, f.clock, Poco::Logger::get("test"));
    auto r = client.send(f.request("POST"), {});
    REQUIRE(r);
    CHECK(r->status == 201);
    CHECK(phased.calls == 2);
  }
}

TEST_CASE("UpstreamClient: RetryMode::Never sends exactly once", "[upstream_client]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(503, "{}"));
  f.transport.enqueue(FakeTransport::json(200, "{}"));
  auto r = f.client.send(f.request(), {}, RetryMode::Never);
  REQUIRE_FALSE(r);
  CHECK(f.transport.requestCount() == 1);
}

TEST_CASE("UpstreamClient: retries run out into the documented errors", "[upstream_client]") {
  Fixture f;
  SECTION("429 → rate_limited with the Retry-After") {
    f.transport.setHandler([](const HttpRequest&) {
      return FakeTransport::json(429, "{}", {{"Retry-After", "7"}});
    });
    auto r = f.client.send(f.request(), {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::RateLimited);
    CHECK(r.error().upstreamStatus == 429);
    CHECK(r.error().retryAfter == std::chrono::seconds(7));
    CHECK(r.error().message == "the WP Engine API is rate limiting requests; retry after 7 s");
    CHECK(f.transport.requestCount() == 5);
    CHECK(f.sleeper.sleeps().size() == 4);
  }
  SECTION("500 → upstream_error with the API's message, escaped") {
    f.transport.setHandler([](const HttpRequest&) {
      return FakeTransport::json(500, R"({"message":"boom\u001b[31m"})");
    });
    auto r = f.client.send(f.request(), {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::UpstreamError);
    CHECK(r.error().upstreamStatus == 500);
    CHECK(r.error().message == "the WP Engine API answered 500: boom\\x1b[31m");
  }
  SECTION("transport failures → upstream_unreachable") {
    f.transport.setHandler([](const HttpRequest&) { return Result<HttpResponse>(unreachable()); });
    auto r = f.client.send(f.request(), {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::UpstreamUnreachable);
    CHECK(f.transport.requestCount() == 5);
  }
  SECTION("a Retry-After beyond the single-wait limit is returned, not slept") {
    f.transport.enqueue(FakeTransport::json(503, "{}", {{"Retry-After", "600"}}));
    auto r = f.client.send(f.request(), {});
    REQUIRE_FALSE(r);
    CHECK(r.error().retryAfter == std::chrono::seconds(600));
    CHECK(f.transport.requestCount() == 1);
    CHECK(f.sleeper.sleeps().empty());
  }
}

TEST_CASE("UpstreamClient: the waits of one call stay under the total budget",
          "[upstream_client]") {
  Fixture f;
  f.transport.setHandler([](const HttpRequest&) {
    return FakeTransport::json(503, "{}", {{"Retry-After", "40"}});
  });
  auto r = f.client.send(f.request(), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().upstreamStatus == 503);
  CHECK(r.error().retryAfter == std::chrono::seconds(40));
  CHECK(f.sleeper.sleeps().size() == 2);  // 40 + 40 s; a third 40 s would pass 90 s
  CHECK(f.transport.requestCount() == 3);
}

TEST_CASE("UpstreamClient: exchange() returns the final response whatever its status",
          "[upstream_client]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(502, "bad gateway"));
  f.transport.enqueue(FakeTransport::json(422, R"({"message":"invalid"})", {{"Retry-After", "3"}}));
  auto r = f.client.exchange(f.request("DELETE"), {});
  REQUIRE(r);
  CHECK(r->status == 422);
  CHECK(r->body == R"({"message":"invalid"})");
  CHECK(r->header("retry-after") == "3");
  CHECK(f.transport.requestCount() == 2);
}

TEST_CASE("UpstreamClient: an interrupted sleeper stops the retries", "[upstream_client]") {
  Fixture f;
  f.sleeper.interrupt();
  f.transport.setHandler([](const HttpRequest&) { return FakeTransport::json(503, "{}"); });
  auto r = f.client.send(f.request(), {});
  REQUIRE_FALSE(r);
  CHECK(f.transport.requestCount() == 1);
}

namespace {

// Every exchange ends at the total deadline, as PocoHttpTransport reports it.
class DeadlineTransport final : public HttpTransport {
 public:
  int calls = 0;
  Result<HttpResponse> send(const HttpRequest& r, const TransportOptions& o) override {
    return sendWithPhase(r, o).result;
  }
  SendOutcome sendWithPhase(const HttpRequest&, const TransportOptions&) override {
    ++calls;
    SendOutcome out{Error(ErrorCode::UpstreamUnreachable,
                          "the API at api.example.test:443 did not finish answering within 60 s"),
                    SendPhase::MaybeSent};
    out.deadlinePassed = true;
    return out;
  }
};

}  // namespace

TEST_CASE("UpstreamClient: an exchange that ran out its total deadline is not retried",
          "[upstream_client]") {
  DeadlineTransport transport;
  FakeClock clock;
  wpe::testing::RecordingSleeper sleeper;
  RetryPolicy policy{{}, [] { return 0.5; }};
  UpstreamClient client{transport, policy, sleeper, clock, Poco::Logger::get("test")};
  HttpRequest request;
  request.url = "https://api.example.test/v1/sites";
  auto r = client.send(request, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::UpstreamUnreachable);
  CHECK_THAT(r.error().message, Catch::Contains("within 60 s"));
  CHECK(transport.calls == 1);
}
