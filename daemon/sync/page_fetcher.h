#pragma once
// PageFetcher: fetches one whole list (sites, installs or accounts) of one profile from the
// WP Engine API and validates it, so the cache only ever receives a complete list.
//
//  - The walk follows what the server returns, not a page size of our own: every request
//    asks for limit=100 (the API's maximum); the first page gives `count` and the server's
//    page size S (its item count — servers may cap lower than asked). The offsets S, 2S, …
//    are then fetched concurrently, each through UpstreamClient (retries, backoff) with the
//    Authorizer's current value. Requests in flight are bounded by an InFlightBudget: the one
//    passed to fetch() (SiteCatalog shares one between the lists of a profile), else one of
//    maxWorkers slots for this call alone. A slot is held from a page's request to its last
//    retry and released before the page is parsed.
//  - Irregular pages (a page short of S before the end): the prefetch stops and the rest is
//    walked sequentially, each request at the offset the items so far imply (what `next`
//    says on this API; `next` itself is not followed, so a hostile link cannot send the
//    credential elsewhere). Prefetched pages that line up are used, the others dropped.
//  - A 401 calls authorizer.afterUnauthorized(rejected) once and retries that page once
//    (OAuth refreshes; static kinds answer LoginRequired, which ends the fetch).
//  - Validation: each page is read once, without a DOM, by readListPage (well-formed JSON,
//    every result an object with a non-empty string id, see list_page_reader.h); every page's count
//    equals the first page's (a list that changed mid-walk is refused rather than stored
//    torn); a page with no items before `count` is reached ends the walk with an error (no
//    loop); no page may carry the list past `count`; ids unique; total == count.
//  - Bounds (PageLimits, docs/security.md rule 15): one page's body (checked while it is read, by
//  the
//    transport, chunked or not), the whole list's item bytes, and the requests of one walk
//    (count / S is checked against it before the second request). Errors name the bound.
//
// Worker threads are started inside fetch() and joined before it returns. Stateless between
// calls; fetch() may run concurrently for different profiles.

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "daemon/cache/cache_store.h"
#include "daemon/upstream/authorizer.h"
#include "daemon/sync/in_flight_budget.h"
#include "daemon/sync/sync_progress.h"
#include "daemon/upstream/upstream_client.h"

namespace Poco {
class Logger;
}

namespace wpe {

struct PageLimits {
  // 8 MiB: a page of 100 objects of ~2 kB is ~200 kB; forty times that is no real answer.
  std::size_t maxPageBytes = 8u << 20;
  // 256 MiB of item JSON for one list: 50,000 sites of 5 kB, far past any real account.
  std::size_t maxListBytes = 256u << 20;
  // 2,000 requests for one list: 200,000 items at 100 a page (kMaxItems); a server that pages
  // by 1 makes this the bound, not the count.
  std::size_t maxPages = 2000;
};

class PageFetcher {
 public:
  static constexpr std::size_t kPageSize = 100;  // the `limit` asked for: the API's maximum
  // Refuses a `count` above this rather than allocating for it (a broken or hostile answer).
  static constexpr std::size_t kMaxItems = 200000;

  PageFetcher(UpstreamClient& client, Poco::Logger& logger, std::size_t maxWorkers = 4,
              PageLimits limits = {});

  // apiUrl without a trailing slash. options.profile names the profile in messages.
  // `progress` (may be null) counts each page as it arrives. `budget` (may be null: one of
  // maxWorkers slots for this call) bounds the requests in flight, also across concurrent
  // fetch() calls that share it; it must outlive the call.
  Result<std::vector<CacheItem>> fetch(const std::string& apiUrl, ListKind kind,
                                       Authorizer& authorizer, const TransportOptions& options,
                                       SyncProgress* progress = nullptr,
                                       InFlightBudget* budget = nullptr);

  const PageLimits& limits() const { return limits_; }

 private:
  struct Page {
    std::size_t count = 0;
    std::size_t bytes = 0;  // item JSON bytes
    std::vector<CacheItem> items;
  };

  // `priority`: the budget's (the list's page count; the first page before all).
  Result<Page> fetchPage(const std::string& apiUrl, ListKind kind, std::size_t offset,
                         Authorizer& authorizer, const TransportOptions& options,
                         InFlightBudget& budget, std::size_t priority);
  static Result<Page> parsePage(std::string body, ListKind kind);

  UpstreamClient& client_;
  Poco::Logger& logger_;
  std::size_t maxWorkers_;
  PageLimits limits_;
};

}  // namespace wpe
