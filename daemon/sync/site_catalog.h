#pragma once
// SiteCatalog: one profile's cached sites, installs and accounts, and the syncs that keep them
// current (architecture.md flow 4).
//
//  - sync(kinds) fetches each list with the PageFetcher and replaces it in the CacheStore only
//    if that whole fetch succeeded; a failure keeps the old list and records why.
//    The lists are fetched side by side (one thread each; the fetcher bounds each list's
//    requests in flight), then written one after the other.
//  - Single flight: a sync()/refresh() that arrives while a sync covering its kinds runs waits
//    for that sync and returns its result (no second round of upstream requests).
//  - syncIfDue() is for the background scheduler: due when a list was never synced or is older
//    than the interval (±10 % jitter so profiles and machines spread out); after a failed sync
//    sooner (1, 2, 4 … minutes, at most the interval), except for LoginRequired.
//  - snapshot() serves the cached list with its age and staleness, never touching the network.
//
// Deadlines use Clock::boottime(); list ages use the persisted wall time (synced_at).
// Thread-safe. Starts no threads: syncs run on the caller's thread. Holds references to the
// fetcher, cache, clock and logger, which must outlive it.

#include <array>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "daemon/cache/cache_store.h"
#include "daemon/core/authorizer.h"
#include "daemon/core/clock.h"
#include "daemon/sync/page_fetcher.h"

namespace Poco {
class Logger;
}

namespace wpe {

struct CatalogSnapshot {
  // The JSON array of API objects, "[]" when never synced; shared with the cache, never
  // copied. Null when snapshot(kind, false).
  std::shared_ptr<const ListBody> body;
  std::size_t count = 0;
  std::string syncedAt;       // RFC 3339 UTC, "" when never synced
  bool stale = true;          // never synced, marked stale, last attempt failed, or too old
  std::string lastError;      // why the last attempt failed, "" after a success
  bool syncing = false;       // a sync of this list is running now
  std::size_t syncPages = 0;  // while syncing: pages fetched so far
  std::size_t syncItems = 0;  // while syncing: objects in them
};

struct SiteCatalogOptions {
  std::string profile;
  std::string apiUrl;          // no trailing slash
  TransportOptions transport;  // ca_file, timeouts; transport.profile is set from profile
  std::chrono::seconds interval{900};
  double jitter = 0.1;  // the interval varies by ±jitter
};

class SiteCatalog {
 public:
  using RandomSource = std::function<double()>;  // uniform in [0, 1)

  // authorizer may be null (not logged in: syncs fail with LoginRequired).
  SiteCatalog(SiteCatalogOptions options, std::shared_ptr<Authorizer> authorizer,
              PageFetcher& fetcher, CacheStore& cache, const Clock& clock, Poco::Logger& logger,
              RandomSource random = {});

  // After a login or restore. Takes effect for the next sync; a sync running with the
  // previous authorizer stores nothing (it may belong to another account).
  void setAuthorizer(std::shared_ptr<Authorizer> authorizer);

  // Logout: takes the authorizer away and drops the cached lists. A sync running now stores
  // nothing afterwards (its caller gets LoginRequired), so the lists cannot come back.
  Status forget();

  // Fetches the given lists (default all three). Returns the first failure, if any.
  Status sync(const std::vector<ListKind>& kinds = {kAllListKinds.begin(), kAllListKinds.end()});
  Status refresh(ListKind kind) { return sync({kind}); }

  // Runs a sync of all lists when one is due; returns whether it ran.
  bool syncIfDue();
  // When syncIfDue() will run a sync: clock.boottime() or earlier when it is due now (also
  // before its first call, which reads the persisted sync times). For the background timer.
  BootTime nextSyncDue();

  // The list changed upstream (a write went through the passthrough): serve it as stale until
  // the next successful sync that started after this call.
  void markStale(ListKind kind);

  // withJson = false leaves json empty (for status: no need to build the whole list).
  Result<CatalogSnapshot> snapshot(ListKind kind, bool withJson = true);

  // OK once the list has been synced at least once. If a sync is running, waits for it up to
  // `timeout` (Unavailable when it is still running then); if it failed, its error. If none is
  // running, runs one on the caller's thread.
  Status waitForFirstSync(ListKind kind, std::chrono::milliseconds timeout);

 private:
  Status runSync(const std::vector<ListKind>& kinds, const std::shared_ptr<Authorizer>& auth,
                 const std::map<ListKind, std::uint64_t>& staleMarks, std::uint64_t epoch);
  // Called with writeMutex_ held: an Error when the credentials changed since `epoch`.
  Status checkEpoch(std::uint64_t epoch);
  // Called with mutex_ held: no markStale() of these kinds since the running sync began.
  bool marksUnchanged(const std::vector<ListKind>& kinds);
  BootTime jitteredDeadline(std::chrono::nanoseconds base);
  bool isSynced(ListKind kind);

  const SiteCatalogOptions options_;
  PageFetcher& fetcher_;
  CacheStore& cache_;
  const Clock& clock_;
  Poco::Logger& logger_;
  RandomSource random_;

  // Held around each write of a sync's outcome to the cache and by forget(): a write either
  // lands before a logout's drop or sees the new epoch and is skipped.
  std::mutex writeMutex_;
  std::mutex mutex_;  // guards everything below; never held across network or SQLite writes
  std::condition_variable cv_;
  std::shared_ptr<Authorizer> authorizer_;
  std::uint64_t epoch_ = 0;         // +1 on every setAuthorizer()/forget()
  std::uint64_t runningEpoch_ = 0;  // epoch_ when the running sync started
  bool running_ = false;
  std::vector<ListKind> runningKinds_;
  std::uint64_t generation_ = 0;  // +1 each time a sync finishes
  Status lastResult_;
  std::optional<BootTime> nextDue_;
  int consecutiveFailures_ = 0;
  std::map<ListKind, std::uint64_t> staleMarks_;    // bumped by markStale()
  std::map<ListKind, std::uint64_t> runningMarks_;  // staleMarks_ when the running sync began
  std::map<ListKind, std::uint64_t> cleanMarks_;    // staleMarks_ value a successful sync saw
  // The last failed sync's error per list until one succeeds, also when the cache could not
  // record it (a full disk): a snapshot then still reads stale, with the reason.
  std::map<ListKind, std::string> memoryErrors_;
  std::array<SyncProgress, kAllListKinds.size()> progress_;  // by ListKind; reset per walk
};

}  // namespace wpe
