#include "daemon/sync/site_catalog.h"

#include <Poco/Logger.h>
#include <malloc.h>

#include <algorithm>
#include <ctime>
#include <future>
#include <random>
#include <system_error>

#include "common/log_escape.h"
#include "daemon/time/rfc3339.h"

namespace wpe {
namespace {

bool covers(const std::vector<ListKind>& running, const std::vector<ListKind>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](ListKind k) {
    return std::find(running.begin(), running.end(), k) != running.end();
  });
}

}  // namespace

SiteCatalog::SiteCatalog(SiteCatalogOptions options, std::shared_ptr<Authorizer> authorizer,
                         PageFetcher& fetcher, CacheStore& cache, const Clock& clock,
                         Poco::Logger& logger, RandomSource random)
    : options_(std::move(options)),
      fetcher_(fetcher),
      cache_(cache),
      clock_(clock),
      logger_(logger),
      budget_(options_.maxInFlight),
      random_(std::move(random)),
      authorizer_(std::move(authorizer)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

void SiteCatalog::setAuthorizer(std::shared_ptr<Authorizer> authorizer) {
  LockGuard lock(mutex_);
  authorizer_ = std::move(authorizer);
  credentials_.advance();
}

Status SiteCatalog::forget() {
  LockGuard write(writeMutex_);
  {
    LockGuard lock(mutex_);
    authorizer_.reset();
    credentials_.advance();
    nextDue_.reset();
    consecutiveFailures_ = 0;
    memoryErrors_.clear();
  }
  return cache_.dropProfile(options_.profile);
}

bool SiteCatalog::marksUnchanged(const std::vector<ListKind>& kinds) {
  return std::all_of(kinds.begin(), kinds.end(),
                     [&](ListKind k) REQUIRES(mutex_) {
                       return staleMarks_[k].isCurrent(runningMarks_[k]);
                     });
}

SiteCatalog::Marks SiteCatalog::staleMarkStamps() {
  Marks stamps;
  for (const auto& [kind, marks] : staleMarks_) stamps[kind] = marks.stamp();
  return stamps;
}

Status SiteCatalog::checkEpoch(Generation::Stamp credentials) {
  LockGuard lock(mutex_);
  if (credentials_.isCurrent(credentials)) return {};
  if (!authorizer_) {
    return Error(ErrorCode::LoginRequired, "profile " + options_.profile +
                                               " was logged out while its lists were fetched; "
                                               "run `wpectl login --profile " +
                                               options_.profile + "`");
  }
  // Conflict: sync() runs again with the new credentials.
  return Error(ErrorCode::Conflict, "the login of profile " + options_.profile +
                                        " changed while its lists were fetched; the result "
                                        "was discarded");
}

BootTime SiteCatalog::jitteredDeadline(std::chrono::nanoseconds base) {
  // Under mutex_, which also serialises random_.
  const double factor = 1.0 + options_.jitter * (2.0 * random_() - 1.0);
  const auto jittered = std::chrono::nanoseconds(
      static_cast<std::chrono::nanoseconds::rep>(static_cast<double>(base.count()) * factor));
  return clock_.boottime() + std::max(jittered, std::chrono::nanoseconds(0));
}

Status SiteCatalog::sync(const std::vector<ListKind>& kinds) {
  LockGuard lock(mutex_);
  while (running_) {
    // A sync started with other credentials (before a logout or re-login), or before a
    // write marked one of these lists stale, may miss what the caller wants: not joined.
    if (covers(runningKinds_, kinds) && credentials_.isCurrent(runningEpoch_) &&
        marksUnchanged(kinds)) {
      // Join the running sync: same upstream requests, same result.
      const Generation::Stamp joined = syncs_.stamp();
      while (syncs_.isCurrent(joined)) cv_.wait(mutex_);
      return lastResult_;
    }
    while (running_) cv_.wait(mutex_);
  }
  running_ = true;
  runningKinds_ = kinds;
  Status result;
  // A login that replaces the credentials mid-sync discards what was fetched so far; the
  // caller still gets a sync, with the new credentials (a few rounds at most).
  for (int round = 0; round < 3; ++round) {
    runningEpoch_ = credentials_.stamp();
    runningMarks_ = staleMarkStamps();
    const auto authorizer = authorizer_;
    const Marks staleMarks = runningMarks_;
    const Generation::Stamp credentials = runningEpoch_;
    lock.unlock();
    result = runSync(kinds, authorizer, staleMarks, credentials);
    lock.lock();
    if (result || result.error().code != ErrorCode::Conflict) break;
  }

  running_ = false;
  runningKinds_.clear();
  syncs_.advance();
  lastResult_ = result;
  // After a failure the next background attempt comes sooner (1, 2, 4 … min, up to the
  // interval) so a brief outage does not leave the list stale for a whole interval; a missing
  // login waits the full interval, since retrying cannot fix it.
  consecutiveFailures_ = result ? 0 : consecutiveFailures_ + 1;
  std::chrono::nanoseconds wait = options_.interval;
  if (!result && result.error().code != ErrorCode::LoginRequired) {
    const int exponent = std::min(consecutiveFailures_ - 1, 10);
    wait = std::min<std::chrono::nanoseconds>(wait, std::chrono::minutes(1) * (1 << exponent));
  }
  nextDue_ = jitteredDeadline(wait);
  if (!result && result.error().retryAfter) {
    // The API said when to come back (docs/security.md rule 12: Retry-After is a floor).
    nextDue_ = std::max(*nextDue_, clock_.boottime() + *result.error().retryAfter);
  }
  lock.unlock();
  cv_.notifyAll();
  return result;
}

Status SiteCatalog::runSync(const std::vector<ListKind>& kinds,
                            const std::shared_ptr<Authorizer>& authorizer,
                            const Marks& staleMarks, Generation::Stamp credentials) {
  if (Status opened = cache_.reopen(); !opened) {
    // Nowhere to keep the lists: fetching them would only cost the API requests.
    LockGuard lock(mutex_);
    for (ListKind kind : kinds) memoryErrors_[kind] = opened.error().message;
    return opened;
  }
  // The previous sync's pages go from the WAL into the file while the first requests are
  // out (it would otherwise lengthen the last list's write; cache_store.h).
  std::future<Status> checkpointed;
  try {
    checkpointed = std::async(std::launch::async, [this] { return cache_.checkpoint(); });
  } catch (const std::system_error& e) {
    // Out of threads: the checkpoint waits for the next sync; this one goes on.
    logger_.warning(std::string("profile ") + options_.profile +
                    ": no thread for the cache's checkpoint: " + e.what());
  }
  TransportOptions transport = options_.transport;
  transport.profile = options_.profile;
  // Each list is written as soon as its walk is complete, on the thread that walked it, while
  // the others are still walking (issue 10: the writes used to wait for the last list, ~0.45 s
  // after everything was fetched). Each write is its own all-or-nothing transaction, so a list
  // that fails later leaves the ones already written as they are: new and whole.
  auto syncOne = [&](ListKind kind) -> Status {
    Result<std::vector<CacheItem>> items = [&]() -> Result<std::vector<CacheItem>> {
      if (!authorizer || !checkEpoch(credentials)) {
        return Error(ErrorCode::LoginRequired,
                     "profile " + options_.profile +
                         " is not logged in; run `wpectl login --profile " + options_.profile +
                         "`");
      }
      SyncProgress& progress = progress_[static_cast<std::size_t>(kind)];
      progress.reset();
      return fetcher_.fetch(options_.apiUrl, kind, *authorizer, transport, &progress, &budget_);
    }();
    return storeList(kind, items, staleMarks, credentials);
  };
  // The lists walk side by side, sharing the profile's budget of requests in flight: the
  // sites and the installs walks are the long ones, so a full sync costs about one walk of
  // all their pages at the budget's width instead of three walks. The first list walks on
  // this thread.
  std::vector<std::future<Status>> others;
  for (std::size_t i = 1; i < kinds.size(); ++i) {
    others.push_back(std::async(std::launch::async, syncOne, kinds[i]));
  }
  Status overall = kinds.empty() ? Status() : syncOne(kinds.front());
  for (auto& other : others) {
    Status status = other.get();
    if (overall) overall = std::move(status);
  }
  if (checkpointed.valid()) {
    if (Status done = checkpointed.get(); !done) logger_.warning(done.error().message);
  }
  // A sync allocates tens of MB across the fetcher's threads (each with its own malloc
  // arena) and frees it all; hand it back to the system so the daemon's RSS stays that of
  // what it keeps.
  malloc_trim(0);
  return overall;
}

Status SiteCatalog::storeList(ListKind kind, const Result<std::vector<CacheItem>>& items,
                              const Marks& staleMarks, Generation::Stamp credentials) {
  const char* name = listKindName(kind);
  LockGuard write(writeMutex_);
  if (Status current = checkEpoch(credentials); !current) {
    // Logged out or in again meanwhile: nothing of this sync may reach the cache.
    logger_.information("profile " + options_.profile + ": discarding the " + name +
                        " sync begun with the previous credentials");
    return current;
  }
  Result<std::size_t> written =
      items ? cache_.replaceList(options_.profile, kind, *items) : Result<std::size_t>(items.error());
  Status status = written ? Status() : Status(written.error());
  if (status) {
    logger_.information("profile " + options_.profile + ": synced " +
                        std::to_string(items->size()) + " " + name + "; " +
                        std::to_string(*written) + " cached rows changed");
    LockGuard lock(mutex_);
    auto mark = staleMarks.find(kind);
    cleanMarks_[kind] = mark == staleMarks.end() ? Generation::Stamp() : mark->second;
    memoryErrors_.erase(kind);
    return status;
  }
  {
    // Also kept here: on a full disk the cache cannot record it, and the list must not
    // read as fresh.
    LockGuard lock(mutex_);
    memoryErrors_[kind] = status.error().message;
  }
  logger_.warning("profile " + options_.profile + ": syncing " + name +
                  " failed, keeping the cached list: " + status.error().message);
  if (auto recorded = cache_.recordSyncError(options_.profile, kind, status.error().message);
      !recorded) {
    logger_.error(recorded.error().message);
  }
  return status;
}

bool SiteCatalog::syncIfDue() {
  bool firstCheck;
  {
    LockGuard lock(mutex_);
    if (running_) return false;
    if (nextDue_ && clock_.boottime() < *nextDue_) return false;
    firstCheck = !nextDue_;
  }
  if (firstCheck) {
    // First call since start: the persisted sync times decide, so a restart does not
    // re-fetch lists that are still fresh.
    std::chrono::nanoseconds oldest{0};
    bool due = false;
    for (ListKind kind : kAllListKinds) {
      auto state = cache_.syncState(options_.profile, kind);
      if (!state || !state->syncedAt || !state->lastError.empty()) {
        due = true;
        break;
      }
      oldest = std::max<std::chrono::nanoseconds>(oldest, clock_.now() - *state->syncedAt);
    }
    if (!due && oldest < options_.interval) {
      LockGuard lock(mutex_);
      nextDue_ = jitteredDeadline(options_.interval - oldest);
      return false;
    }
  }
  // The outcome is already logged and recorded per list by runSync().
  static_cast<void>(sync());
  return true;
}

bool SiteCatalog::anyMarkedStale() {
  LockGuard lock(mutex_);
  for (ListKind kind : kAllListKinds) {
    if (!staleMarks_[kind].isCurrent(cleanMarks_[kind])) return true;
  }
  return false;
}

BootTime SiteCatalog::nextSyncDue() {
  LockGuard lock(mutex_);
  return nextDue_ ? *nextDue_ : clock_.boottime();
}

void SiteCatalog::markStale(ListKind kind) {
  LockGuard lock(mutex_);
  staleMarks_[kind].advance();
}

bool SiteCatalog::isSynced(ListKind kind) {
  auto state = cache_.syncState(options_.profile, kind);
  return state && state->syncedAt.has_value();
}

Result<CatalogSnapshot> SiteCatalog::snapshot(ListKind kind, bool withJson) {
  auto cached = cache_.list(options_.profile, kind, withJson);
  if (!cached) return cached.error();
  CatalogSnapshot out;
  out.body = std::move(cached->body);
  out.count = cached->count;
  out.lastError = cached->state.lastError;
  bool markedStale;
  {
    LockGuard lock(mutex_);
    out.syncing = running_ && std::find(runningKinds_.begin(), runningKinds_.end(), kind) !=
                                  runningKinds_.end();
    markedStale = !staleMarks_[kind].isCurrent(cleanMarks_[kind]);
    if (auto failed = memoryErrors_.find(kind); failed != memoryErrors_.end()) {
      out.lastError = failed->second;
    }
  }
  if (out.syncing) {
    const SyncProgress& progress = progress_[static_cast<std::size_t>(kind)];
    out.syncPages = progress.pages.load(std::memory_order_relaxed);
    out.syncItems = progress.items.load(std::memory_order_relaxed);
  }
  const auto& syncedAt = cached->state.syncedAt;
  if (syncedAt) out.syncedAt = formatRfc3339(*syncedAt);
  out.stale = !syncedAt || markedStale || !out.lastError.empty() ||
              clock_.now() - *syncedAt > options_.interval;
  return out;
}

Status SiteCatalog::waitForFirstSync(ListKind kind, std::chrono::milliseconds timeout) {
  if (isSynced(kind)) return {};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  LockGuard lock(mutex_);
  while (running_) {
    const Generation::Stamp seen = syncs_.stamp();
    const bool mine =
        std::find(runningKinds_.begin(), runningKinds_.end(), kind) != runningKinds_.end();
    while (syncs_.isCurrent(seen) && cv_.waitUntil(mutex_, deadline)) {
    }
    if (syncs_.isCurrent(seen)) {
      return Error(ErrorCode::Unavailable, std::string("the first sync of ") + listKindName(kind) +
                                               " for profile " + options_.profile +
                                               " is still running; try again in a moment");
    }
    if (mine) {
      Status result = lastResult_;
      lock.unlock();
      if (isSynced(kind)) return {};
      return result ? Status(Error(ErrorCode::Internal, "the sync finished without a list"))
                    : result;
    }
  }
  lock.unlock();
  return sync({kind});
}

}  // namespace wpe
