#pragma once
// PageFetcher: fetches one whole list (sites, installs or accounts) of one profile from the
// WP Engine API and validates it, so the cache only ever receives a complete list.
//
//  - GET {apiUrl}/{kind}?limit=100&offset=0 gives `count`; the remaining offsets are fetched
//    concurrently by at most maxWorkers requests in flight, each through UpstreamClient
//    (retries, backoff) with the Authorizer's current value.
//  - A 401 calls authorizer.afterUnauthorized(rejected) once and retries that page once
//    (OAuth refreshes; static kinds answer LoginRequired, which ends the fetch).
//  - Validation: every result is an object with a string id; every page's count equals the
//    first page's (a list that changed mid-walk is refused rather than stored torn); each page
//    holds the number of items its offset implies; total == count; ids unique.
//
// Worker threads are started inside fetch() and joined before it returns. Stateless between
// calls; fetch() may run concurrently for different profiles.

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "daemon/cache/cache_store.h"
#include "daemon/core/authorizer.h"
#include "daemon/upstream/upstream_client.h"

namespace Poco {
class Logger;
}

#include "daemon/sync/sync_progress.h"

namespace wpe {

class PageFetcher {
 public:
  static constexpr std::size_t kPageSize = 100;  // the API's maximum `limit`
  // Refuses a `count` above this rather than allocating for it (a broken or hostile answer).
  static constexpr std::size_t kMaxItems = 200000;

  PageFetcher(UpstreamClient& client, Poco::Logger& logger, std::size_t maxWorkers = 4);

  // apiUrl without a trailing slash. options.profile names the profile in messages.
  // `progress` (may be null) counts each page as it arrives.
  Result<std::vector<CacheItem>> fetch(const std::string& apiUrl, ListKind kind,
                                       Authorizer& authorizer, const TransportOptions& options,
                                       SyncProgress* progress = nullptr);

 private:
  struct Page {
    std::size_t count = 0;
    std::vector<CacheItem> items;
  };

  Result<Page> fetchPage(const std::string& apiUrl, ListKind kind, std::size_t offset,
                         Authorizer& authorizer, const TransportOptions& options);
  static Result<Page> parsePage(const std::string& body, ListKind kind);

  UpstreamClient& client_;
  Poco::Logger& logger_;
  std::size_t maxWorkers_;
};

}  // namespace wpe
