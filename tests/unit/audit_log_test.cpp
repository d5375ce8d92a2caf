#include "daemon/audit/audit_log.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "daemon/audit/connection_peer.h"
#include "tests/unit/auth_test_support.h"
#include "tests/unit/fakes.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

// Keeps records in memory; counts appends (one per flushed batch).
class FakeAuditStore final : public AuditStore {
 public:
  std::vector<AuditRecord> rows;
  std::atomic<int> appends{0};
  bool failAppends = false;
  std::vector<std::pair<std::string, std::string>> known;
  WallTime prunedBefore{};
  std::int64_t prunedMaxRows = -1;

  Status append(const std::vector<AuditRecord>& records) override {
    if (failAppends) return Error(ErrorCode::Internal, "audit trail: disk full");
    ++appends;
    for (auto r : records) {
      r.id = static_cast<std::int64_t>(rows.size()) + 1;
      rows.push_back(r);
    }
    return {};
  }
  Result<std::vector<AuditRecord>> query(const AuditQuery& q) override {
    std::vector<AuditRecord> out;
    for (const auto& r : rows) {
      if (!q.profile.empty() && r.profile != q.profile) continue;
      if (q.since && r.lastTime < *q.since) continue;
      out.push_back(r);
    }
    if (out.size() > q.limit) out.erase(out.begin(), out.end() - q.limit);
    return out;
  }
  Result<std::int64_t> prune(WallTime olderThan, std::int64_t maxRows) override {
    prunedBefore = olderThan;
    prunedMaxRows = maxRows;
    ++prunes;
    return 0;
  }
  std::atomic<int> prunes{0};
  Result<std::vector<std::pair<std::string, std::string>>> knownUses(std::size_t) override {
    return known;
  }
};

// exe by pid; counts how often /proc would have been read.
class FakeResolver final : public PeerResolver {
 public:
  mutable int calls = 0;
  PeerIdentity resolve(int pid, unsigned uid) const override {
    ++calls;
    return {pid, uid, pid == 7 ? "/usr/bin/curl" : "/usr/bin/wpectl", "foo.service"};
  }
};

AuditLog::Options slowFlush() {
  AuditLog::Options o;
  o.flushInterval = std::chrono::hours(1);  // only explicit flushes in these tests
  return o;
}

}  // namespace

TEST_CASE(
    "AuditLog: records token and passthrough calls with the peer, resolved once per "
    "connection",
    "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  auto store = std::make_unique<FakeAuditStore>();
  auto* rows = store.get();
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog log(std::move(store), "", resolver, clock, recordingLogger(channel), slowFlush());

  ConnectionPeer curl{7, 1000, nullptr};
  ConnectionPeer ctl{8, 1000, nullptr};
  log.record(&curl, "default", "GET", "/v1/profiles/default/api/sites", 200);
  clock.advance(std::chrono::milliseconds(10));
  log.record(&curl, "default", "GET", "/v1/profiles/default/api/sites", 200);
  clock.advance(std::chrono::milliseconds(10));
  log.record(&ctl, "default", "GET", "/v1/profiles/default/token", 200);
  clock.advance(std::chrono::milliseconds(10));
  log.record(&curl, "default", "GET", "/v1/profiles/default/api/sites", 404);
  CHECK(resolver.calls == 2);  // one per connection, not per request
  CHECK(rows->rows.empty());   // nothing written on the serving thread

  auto page = log.read({});
  REQUIRE(page);
  REQUIRE(page->records.size() == 3);
  const auto& merged = page->records[0];
  CHECK(merged.peer.exe == "/usr/bin/curl");
  CHECK(merged.peer.pid == 7);
  CHECK(merged.peer.unit == "foo.service");
  CHECK(merged.count == 2);  // identical calls of one connection in one flush
  CHECK(merged.lastTime - merged.time == std::chrono::milliseconds(10));
  CHECK(page->records[1].path == "/v1/profiles/default/token");
  CHECK(page->records[2].status == 404);
  CHECK(rows->appends == 1);  // one batch, one transaction

  SECTION("the first use of a profile by an executable is logged once") {
    log.record(&curl, "default", "GET", "/v1/profiles/default/api/installs", 200);
    log.record(&curl, "other", "GET", "/v1/profiles/other/token", 200);
    log.flush();
    std::string text = channel->all();
    auto count = [&text](const std::string& needle) {
      std::size_t n = 0;
      for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
        ++n;
      return n;
    };
    CHECK(count("profile default: first use by /usr/bin/curl (unit foo.service)") == 1);
    CHECK(count("profile default: first use by /usr/bin/wpectl") == 1);
    CHECK(count("profile other: first use by /usr/bin/curl") == 1);
  }
}

TEST_CASE("AuditLog: executables on record are not new after a restart", "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  auto store = std::make_unique<FakeAuditStore>();
  store->known = {{"default", "/usr/bin/curl"}};
  auto* raw = store.get();
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog::Options options = slowFlush();
  AuditLog log(std::move(store), "", resolver, clock, recordingLogger(channel), options);
  log.start();
  // Pruned at start: 30 days and 100,000 rows.
  CHECK(clock.now() - raw->prunedBefore == std::chrono::hours(24 * 30));
  CHECK(raw->prunedMaxRows == 100000);
  ConnectionPeer curl{7, 1000, nullptr};
  log.record(&curl, "default", "GET", "/v1/profiles/default/token", 200);
  log.flush();
  CHECK(channel->all().find("first use") == std::string::npos);
  log.stop();
}

TEST_CASE("AuditLog: a full queue drops and counts; a failed write counts too", "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  auto store = std::make_unique<FakeAuditStore>();
  auto* raw = store.get();
  AuditLog::Options options = slowFlush();
  options.maxPending = 3;
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog log(std::move(store), "", resolver, clock, recordingLogger(channel), options);
  for (int i = 0; i < 5; ++i) {
    log.record(nullptr, "default", "GET", "/v1/x" + std::to_string(i), 200);
  }
  log.record(nullptr, "default", "GET", "/v1/x2", 200);  // merges: not dropped
  CHECK(log.dropped() == 2);
  auto page = log.read({});
  REQUIRE(page);
  CHECK(page->dropped == 2);
  REQUIRE(page->records.size() == 3);
  CHECK(page->records[2].count == 2);
  CHECK(page->records[0].peer.exe.empty());

  raw->failAppends = true;
  log.record(nullptr, "default", "GET", "/v1/x", 200);
  log.flush();
  CHECK(log.dropped() == 3);
  CHECK(channel->all().find("disk full") != std::string::npos);
}

TEST_CASE("AuditLog: the writer thread flushes on its own; ended connections are kept",
          "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  auto store = std::make_unique<FakeAuditStore>();
  auto* raw = store.get();
  AuditLog::Options options;
  options.flushInterval = std::chrono::milliseconds(5);
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog log(std::move(store), "", resolver, clock, recordingLogger(channel), options);
  log.start();
  {
    ConnectionPeer gone{7, 1000, nullptr};
    log.record(&gone, "default", "GET", "/v1/profiles/default/token", 200);
  }  // the connection ended before the flush
  for (int i = 0; i < 500 && raw->appends == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  log.stop();
  REQUIRE(raw->rows.size() == 1);
  CHECK(raw->rows[0].peer.exe == "/usr/bin/curl");
}

TEST_CASE("AuditLog: without a store, reads say why and records are not kept", "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog log(nullptr, "the audit trail is unavailable: cannot open cache.db", resolver, clock,
               recordingLogger(channel), slowFlush());
  ConnectionPeer curl{7, 1000, nullptr};
  log.record(&curl, "default", "GET", "/v1/profiles/default/token", 200);
  auto page = log.read({});
  REQUIRE_FALSE(page);
  CHECK(page.error().code == ErrorCode::Unavailable);
  CHECK(page.error().message.find("cannot open cache.db") != std::string::npos);
  log.flush();
  CHECK(channel->all().find("first use by /usr/bin/curl") != std::string::npos);
}

TEST_CASE("AuditLog: an idle trail is still pruned, once per idle interval", "[audit_log]") {
  FakeClock clock;
  FakeResolver resolver;
  auto store = std::make_unique<FakeAuditStore>();
  auto* raw = store.get();
  AuditLog::Options options = slowFlush();
  options.idlePruneInterval = std::chrono::milliseconds(20);
  Poco::AutoPtr<RecordingChannel> channel;
  AuditLog log(std::move(store), "", resolver, clock, recordingLogger(channel), options);
  log.start();  // prunes once
  REQUIRE(raw->prunes == 1);
  clock.advance(std::chrono::hours(24 * 31));  // a month later, and no call in between
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (raw->prunes < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polled: the writer prunes
  }
  log.stop();  // joins the writer: what it wrote is visible here
  CHECK(raw->prunes >= 3);
  CHECK(raw->prunedBefore == clock.now() - options.retention);
  CHECK(raw->appends == 0);  // nothing was recorded: only pruned
}
