#include "daemon/sync/page_fetcher.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "common/log_escape.h"
#include "common/mutex.h"
#include "daemon/sync/list_page_reader.h"

namespace wpe {
namespace {

// A token with at least this much life left is used for a page; the OAuth authorizer
// refreshes first otherwise, so a page never goes out with a token about to expire.
constexpr std::chrono::seconds kMinValid{60};

Error invalid(ListKind kind, const std::string& why) {
  return Error(ErrorCode::UpstreamError, std::string("the WP Engine API sent an invalid ") +
                                             listKindName(kind) + " list: " + why);
}

Error tooCostly(ListKind kind, const std::string& why) {
  return Error(ErrorCode::UpstreamError,
               std::string("the WP Engine API's ") + listKindName(kind) + " list is " + why +
                   " (a bound on what one sync may cost, docs/security.md); the cached list is "
                   "kept");
}

std::string mib(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// A non-negative decimal integer of at most 9 digits (the count bound is far below).
std::optional<std::size_t> parseCount(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

}  // namespace

PageFetcher::PageFetcher(UpstreamClient& client, Poco::Logger& logger, std::size_t maxWorkers,
                         PageLimits limits)
    : client_(client),
      logger_(logger),
      maxWorkers_(std::max<std::size_t>(1, maxWorkers)),
      limits_(limits) {}

Result<PageFetcher::Page> PageFetcher::parsePage(std::string body, ListKind kind) {
  // One pass over the body, no DOM: the items come out validated and compact together
  // (readListPage's contract), so what is validated is exactly what is stored.
  auto read = readListPage(body);
  std::string().swap(body);  // the items are copied out; free the body now
  if (!read) return invalid(kind, read.error().message);
  const auto count = parseCount(*read->count);
  if (!count) {
    return invalid(
        kind, "\"count\" is not a non-negative integer (" + escapeForLog(*read->count, 40) + ")");
  }
  if (*count > kMaxItems) {
    return invalid(kind, "count " + std::to_string(*count) + " is out of range (at most " +
                             std::to_string(kMaxItems) + ")");
  }
  Page page;
  page.count = *count;
  page.bytes = read->itemBytes;
  page.items = std::move(read->items);
  return page;
}

Result<PageFetcher::Page> PageFetcher::fetchPage(const std::string& apiUrl, ListKind kind,
                                                 std::size_t offset, Authorizer& authorizer,
                                                 const TransportOptions& options,
                                                 InFlightBudget& budget, std::size_t priority) {
  auto authorization = authorizer.authorization(kMinValid);
  if (!authorization) return authorization.error();
  // Held for the whole exchange, the 401 retry and the client's backoffs included: the API
  // never sees more than the budget's requests from this profile at once.
  std::optional<InFlightBudget::Slot> slot(budget.acquire(priority));
  TransportOptions bounded = options;
  bounded.maxBodyBytes = std::min(options.maxBodyBytes, limits_.maxPageBytes);
  HttpRequest request;
  request.method = "GET";
  request.url = apiUrl + "/" + listKindName(kind) + "?limit=" + std::to_string(kPageSize) +
                "&offset=" + std::to_string(offset);
  request.authorization = *authorization;
  auto response = client_.send(request, bounded);
  if (!response && response.error().upstreamStatus == 401) {
    auto renewed = authorizer.afterUnauthorized(*authorization);
    if (!renewed) return renewed.error();
    request.authorization = *renewed;
    response = client_.send(request, bounded);
    if (!response && response.error().upstreamStatus == 401) {
      const std::string profile = options.profile.empty() ? "NAME" : options.profile;
      return Error(ErrorCode::LoginRequired,
                   "the WP Engine API rejected the credentials for profile " + profile +
                       " twice; run `wpectl login --profile " + profile + "`");
    }
  }
  const std::string pageBound = "the page at offset " + std::to_string(offset) +
                                " is larger than " + mib(limits_.maxPageBytes) + " (" +
                                std::to_string(limits_.maxPageBytes) +
                                " bytes), the bound for "
                                "one page; wped stopped reading it";
  if (!response) {
    // The transport stops reading at maxBodyBytes and says "is larger than N bytes".
    if (response.error().upstreamStatus == 0 &&
        response.error().message.find("is larger than") != std::string::npos) {
      return tooCostly(kind, pageBound);
    }
    return response.error();
  }
  slot.reset();  // parsing is not a request: the next page may go out meanwhile
  if (response->body.size() > limits_.maxPageBytes) return tooCostly(kind, pageBound);
  return parsePage(std::move(response->body), kind);
}

Result<std::vector<CacheItem>> PageFetcher::fetch(const std::string& apiUrl, ListKind kind,
                                                  Authorizer& authorizer,
                                                  const TransportOptions& options,
                                                  SyncProgress* progress, InFlightBudget* shared) {
  std::optional<InFlightBudget> own;
  if (!shared) own.emplace(maxWorkers_);
  InFlightBudget& budget = shared ? *shared : *own;
  // The first page before any other (it tells how many pages there are), then the longest
  // walk first (in_flight_budget.h).
  auto first = fetchPage(apiUrl, kind, 0, authorizer, options, budget, SIZE_MAX);
  if (!first) return first.error();
  if (progress) progress->addPage(first->items.size());
  const std::size_t count = first->count;
  const std::size_t pageSize = first->items.size();  // the server's, learnt from page 1
  if (pageSize == 0 && count > 0) {
    return invalid(kind,
                   "the page at offset 0 holds no items, but count says " + std::to_string(count));
  }
  const std::size_t planned = count <= pageSize ? 1 : (count + pageSize - 1) / pageSize;
  if (planned > limits_.maxPages) {
    return tooCostly(kind, std::to_string(count) + " items at " + std::to_string(pageSize) +
                               " a page: " + std::to_string(planned) + " pages, more than the " +
                               std::to_string(limits_.maxPages) + " pages wped asks for one list");
  }

  // Prefetch: the page at k * pageSize for k in [1, planned), concurrently. A page short of
  // pageSize before the end means irregular paging: the prefetch stops, the walk below goes
  // on sequentially from where the items really end.
  std::vector<std::optional<Page>> prefetched(planned);
  std::atomic<std::size_t> next{1};
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> bytes{first->bytes};
  std::atomic<std::size_t> requests{1};
  Mutex errorMutex;  // guards firstError
  std::optional<Error> firstError;
  auto fail = [&](Error error) {
    LockGuard lock(errorMutex);
    if (!firstError) firstError = std::move(error);
    stop = true;
  };
  const std::string listBound = "larger than " + mib(limits_.maxListBytes) + " (" +
                                std::to_string(limits_.maxListBytes) + " bytes of items)";
  auto worker = [&] {
    for (std::size_t k = next++; k < planned && !stop; k = next++) {
      ++requests;
      auto result = fetchPage(apiUrl, kind, k * pageSize, authorizer, options, budget, planned);
      if (!result) return fail(result.error());
      if (progress) progress->addPage(result->items.size());
      if ((bytes += result->bytes) > limits_.maxListBytes) return fail(tooCostly(kind, listBound));
      const std::size_t expected = std::min(pageSize, count - std::min(count, k * pageSize));
      if (result->items.size() != expected) stop = true;  // irregular: no error, no more
      prefetched[k] = std::move(*result);                 // distinct slots: no lock needed
    }
  };
  // As many workers as the budget has slots: while another list of the profile holds some,
  // the extra workers wait for a slot, and take them up as soon as that list is done.
  const std::size_t workers = std::min(budget.capacity(), planned - 1);
  std::vector<std::thread> threads;
  threads.reserve(workers);
  try {
    for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(worker);
  } catch (const std::system_error& e) {
    // Out of threads: stop the ones already running rather than terminate the daemon.
    fail(Error(ErrorCode::Internal, std::string("cannot start fetch workers: ") + e.what()));
  }
  for (auto& t : threads) t.join();
  if (firstError) return *firstError;

  // Assemble in order, fetching sequentially wherever no prefetched page starts.
  std::vector<CacheItem> items;
  items.reserve(count);
  std::unordered_set<std::string> ids;
  ids.reserve(count);
  std::optional<Page> page = std::move(*first);
  std::size_t offset = 0;
  std::size_t pages = 0;
  bool sequential = false;
  while (true) {
    ++pages;
    if (page->count != count) {
      return invalid(kind, "the list changed while it was fetched (count " + std::to_string(count) +
                               ", then " + std::to_string(page->count) +
                               "); the next sync will try again");
    }
    if (page->items.empty() && offset < count) {
      return invalid(kind, "the page at offset " + std::to_string(offset) +
                               " holds no items, but count says " + std::to_string(count));
    }
    if (page->items.size() > count - offset) {
      return invalid(kind, "the page at offset " + std::to_string(offset) + " holds " +
                               std::to_string(page->items.size()) + " items, more than the " +
                               std::to_string(count - offset) + " left of count " +
                               std::to_string(count));
    }
    for (auto& item : page->items) {
      if (!ids.insert(item.id).second) {
        return invalid(kind, "id " + escapeForLog(item.id) + " appears twice");
      }
      items.push_back(std::move(item));
    }
    offset = items.size();
    if (offset >= count) break;
    page.reset();
    if (offset % pageSize == 0 && offset / pageSize < planned && prefetched[offset / pageSize]) {
      page = std::move(prefetched[offset / pageSize]);
      continue;
    }
    sequential = true;
    if (++requests > limits_.maxPages) {
      return tooCostly(kind, "paged so irregularly that " + std::to_string(offset) + " of " +
                                 std::to_string(count) + " items took more than the " +
                                 std::to_string(limits_.maxPages) +
                                 " pages wped asks for one list");
    }
    auto fetched = fetchPage(apiUrl, kind, offset, authorizer, options, budget, planned);
    if (!fetched) return fetched.error();
    if (progress) progress->addPage(fetched->items.size());
    if ((bytes += fetched->bytes) > limits_.maxListBytes) return tooCostly(kind, listBound);
    page = std::move(*fetched);
  }
  logger_.debug(std::string("fetched ") + std::to_string(items.size()) + " " + listKindName(kind) +
                " in " + std::to_string(pages) + " pages of up to " + std::to_string(pageSize) +
                (sequential ? " (irregular pages: walked sequentially)" : "") + ", " +
                std::to_string(requests.load()) + " requests");
  return items;
}

}  // namespace wpe
