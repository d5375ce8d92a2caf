#pragma once
// SyncStack: the upstream half of the daemon over fakes, shared by the sync and profile unit
// tests — a FakeTransport serving a FakeWpeApi, the real RetryPolicy (no jitter),
// UpstreamClient and PageFetcher, a recording sleeper, a fake clock, and a real SQLite cache
// in a temporary directory.

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <memory>

#include "daemon/cache/cache_store.h"
#include "daemon/sync/page_fetcher.h"
#include "daemon/upstream/retry_policy.h"
#include "daemon/upstream/upstream_client.h"
#include "tests/unit/fake_wpe_api.h"
#include "tests/unit/fakes.h"
#include "tests/unit/recording_sleeper.h"
#include "tests/unit/temp_dir.h"

namespace wpe::testing {

struct SyncStack {
  explicit SyncStack(std::size_t sites = 250, std::size_t workers = 4)
      : fetcher(client, Poco::Logger::get("test"), workers), api(sites) {}

  std::unique_ptr<CacheStore> openCache() {
    auto store = CacheStore::open(dir.path(), clock, Poco::Logger::get("test"));
    REQUIRE(store);
    return std::move(*store);
  }

  TempDir dir;
  FakeTransport transport;
  FakeClock clock;
  RecordingSleeper sleeper;
  RetryPolicy policy{{}, [] { return 0.0; }};
  UpstreamClient client{transport, policy, sleeper, clock, Poco::Logger::get("test")};
  PageFetcher fetcher;
  FakeWpeApi api;
};

}  // namespace wpe::testing
