#pragma once
// SiteCatalog: one profile's cached sites, installs and accounts, and the syncs that keep them
// current (docs/architecture.md "Flows").
//
//  - sync(kinds) fetches each list with the PageFetcher and replaces it in the CacheStore only
//    if that whole fetch succeeded; a failure keeps the old list and records why.
//    The lists are fetched side by side (the first on the caller's thread, each other one on a
//    short-lived thread of its own), all within one InFlightBudget of options.maxInFlight
//    requests, and each is written (one transaction) as soon as its own walk is complete: a
//    list that fails later does not undo or hold up one already written.
//  - Single flight: a sync()/refresh() that arrives while a sync covering its kinds runs waits
//    for that sync and returns its result (no second round of upstream requests).
//  - syncIfDue() is for the background scheduler: due when a list was never synced or is older
//    than the interval (±10 % jitter so profiles and machines spread out); after a failed sync
//    sooner (1, 2, 4 … minutes, at most the interval), except for LoginRequired.
//  - snapshot() serves the cached list with its age and staleness, never touching the network.
//
// Deadlines use Clock::boottime(); list ages use the persisted wall time (synced_at).
// Thread-safe. Keeps no thread of its own: a sync runs on the caller's thread and joins the
// list threads it started before it returns. Holds references to the fetcher, cache, clock
// and logger, which must outlive it.

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/cond_var.h"
#include "common/generation.h"
#include "common/mutex.h"
#include "common/result.h"
#include "daemon/cache/cache_store.h"
#include "daemon/upstream/authorizer.h"
#include "daemon/time/clock.h"
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
  // 8 requests in flight for all the lists of the profile together: the ideal cold sync of
  // 10k sites + 20k installs (304 requests at 50 ms) is then ~1.95 s, and the API sees no
  // more from one profile than before (4 per list, up to 3 lists).
  std::size_t maxInFlight = 8;
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
  void setAuthorizer(std::shared_ptr<Authorizer> authorizer) EXCLUDES(mutex_);

  // Logout: takes the authorizer away and drops the cached lists. A sync running now stores
  // nothing afterwards (its caller gets LoginRequired), so the lists cannot come back.
  Status forget() EXCLUDES(mutex_);

  // Fetches the given lists (default all three). Returns the first failure, if any.
  Status sync(const std::vector<ListKind>& kinds = {kAllListKinds.begin(), kAllListKinds.end()})
      EXCLUDES(mutex_);
  Status refresh(ListKind kind) { return sync({kind}); }

  // Runs a sync of all lists when one is due; returns whether it ran.
  bool syncIfDue() EXCLUDES(mutex_);
  // Whether a list was marked stale (markStale) since the last sync that stored it.
  bool anyMarkedStale() EXCLUDES(mutex_);
  // When syncIfDue() will run a sync: clock.boottime() or earlier when it is due now (also
  // before its first call, which reads the persisted sync times). For the background timer.
  BootTime nextSyncDue() EXCLUDES(mutex_);

  // The list changed upstream (a write went through the passthrough): serve it as stale until
  // the next successful sync that started after this call.
  void markStale(ListKind kind) EXCLUDES(mutex_);

  // withJson = false leaves json empty (for status: no need to build the whole list).
  Result<CatalogSnapshot> snapshot(ListKind kind, bool withJson = true) EXCLUDES(mutex_);

  // OK once the list has been synced at least once. If a sync is running, waits for it up to
  // `timeout` (Unavailable when it is still running then); if it failed, its error. If none is
  // running, runs one on the caller's thread.
  Status waitForFirstSync(ListKind kind, std::chrono::milliseconds timeout) EXCLUDES(mutex_);

 private:
  using Marks = std::map<ListKind, Generation::Stamp>;

  Status runSync(const std::vector<ListKind>& kinds, const std::shared_ptr<Authorizer>& auth,
                 const Marks& staleMarks, Generation::Stamp credentials) EXCLUDES(mutex_);
  // Writes one list's outcome (the list, or its error) unless the credentials changed since
  // `credentials`; returns that outcome. Takes writeMutex_, then mutex_.
  Status storeList(ListKind kind, const Result<std::vector<CacheItem>>& items,
                   const Marks& staleMarks, Generation::Stamp credentials)
      EXCLUDES(writeMutex_, mutex_);
  // An Error when the credentials changed since `credentials` (a write of the outcome checks
  // it with writeMutex_ held, so a forget() cannot slip in between).
  Status checkEpoch(Generation::Stamp credentials) EXCLUDES(mutex_);
  // No markStale() of these kinds since the running sync began.
  bool marksUnchanged(const std::vector<ListKind>& kinds) REQUIRES(mutex_);
  Marks staleMarkStamps() REQUIRES(mutex_);
  BootTime jitteredDeadline(std::chrono::nanoseconds base) REQUIRES(mutex_);
  bool isSynced(ListKind kind);

  const SiteCatalogOptions options_;
  PageFetcher& fetcher_;
  CacheStore& cache_;
  const Clock& clock_;
  Poco::Logger& logger_;
  InFlightBudget budget_;  // shared by every walk of this profile's lists

  // Held around each write of a sync's outcome to the cache and by forget(): a write either
  // lands before a logout's drop or sees the new epoch and is skipped.
  Mutex writeMutex_;
  Mutex mutex_ ACQUIRED_AFTER(writeMutex_);  // never held across network or SQLite writes
  CondVar cv_;  // notified when a sync finishes
  RandomSource random_ GUARDED_BY(mutex_);
  std::shared_ptr<Authorizer> authorizer_ GUARDED_BY(mutex_);
  Generation credentials_ GUARDED_BY(mutex_);           // advanced by setAuthorizer()/forget()
  Generation::Stamp runningEpoch_ GUARDED_BY(mutex_);  // credentials_ when the sync started
  bool running_ GUARDED_BY(mutex_) = false;
  std::vector<ListKind> runningKinds_ GUARDED_BY(mutex_);
  Generation syncs_ GUARDED_BY(mutex_);  // advanced each time a sync finishes
  Status lastResult_ GUARDED_BY(mutex_);
  std::optional<BootTime> nextDue_ GUARDED_BY(mutex_);
  int consecutiveFailures_ GUARDED_BY(mutex_) = 0;
  std::map<ListKind, Generation> staleMarks_ GUARDED_BY(mutex_);  // advanced by markStale()
  Marks runningMarks_ GUARDED_BY(mutex_);  // staleMarks_ when the running sync began
  Marks cleanMarks_ GUARDED_BY(mutex_);    // staleMarks_ as the last successful sync saw them
  // The last failed sync's error per list until one succeeds, also when the cache could not
  // record it (a full disk): a snapshot then still reads stale, with the reason.
  std::map<ListKind, std::string> memoryErrors_ GUARDED_BY(mutex_);
  std::array<SyncProgress, kAllListKinds.size()> progress_;  // by ListKind; reset per walk
};

}  // namespace wpe
