#include "daemon/sync/page_fetcher.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "common/log_escape.h"
#include "daemon/sync/raw_json.h"

namespace wpe {
namespace {

// A token with at least this much life left is used for a page; the OAuth authorizer
// refreshes first otherwise, so a page never goes out with a token about to expire.
constexpr std::chrono::seconds kMinValid{60};

std::string nestedId(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object->has(key)) return {};
  auto inner = object->getObject(key);  // null when the value is null or not an object
  if (!inner || !inner->has("id") || !inner->get("id").isString()) return {};
  return inner->getValue<std::string>("id");
}

Error invalid(ListKind kind, const std::string& why) {
  return Error(ErrorCode::UpstreamError, std::string("the WP Engine API sent an invalid ") +
                                             listKindName(kind) + " list: " + why);
}

}  // namespace

PageFetcher::PageFetcher(UpstreamClient& client, Poco::Logger& logger, std::size_t maxWorkers)
    : client_(client), logger_(logger), maxWorkers_(std::max<std::size_t>(1, maxWorkers)) {}

Result<PageFetcher::Page> PageFetcher::parsePage(const std::string& body, ListKind kind) {
  Poco::JSON::Object::Ptr root;
  Poco::JSON::Array::Ptr results;
  std::size_t count = 0;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!root || !root->has("results")) return invalid(kind, "no \"results\"");
    results = root->getArray("results");
    if (!results) return invalid(kind, "\"results\" is not an array");
    if (!root->has("count") || !root->get("count").isInteger()) {
      return invalid(kind, "no integer \"count\"");
    }
    const long long c = root->getValue<long long>("count");
    if (c < 0 || static_cast<unsigned long long>(c) > kMaxItems) {
      return invalid(kind, "count " + std::to_string(c) + " is out of range");
    }
    count = static_cast<std::size_t>(c);
  } catch (const std::exception& e) {
    return invalid(kind, "not JSON (" + escapeForLog(e.what()) + ")");
  }
  auto raw = compactArrayElements(body, "results");
  if (!raw || raw->size() != results->size()) return invalid(kind, "unreadable \"results\"");

  Page page;
  page.count = count;
  page.items.reserve(raw->size());
  Poco::JSON::Parser parser;
  for (std::size_t i = 0; i < raw->size(); ++i) {
    // Each stored slice is parsed on its own, so what is validated is exactly what is stored
    // (even if the body had, say, two "results" keys).
    Poco::JSON::Object::Ptr object;
    try {
      parser.reset();
      object = parser.parse((*raw)[i]).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      object = nullptr;
    }
    if (!object) return invalid(kind, "result " + std::to_string(i) + " is not an object");
    if (!object->has("id") || !object->get("id").isString() ||
        object->getValue<std::string>("id").empty()) {
      return invalid(kind, "result " + std::to_string(i) + " has no string id");
    }
    CacheItem item;
    item.id = object->getValue<std::string>("id");
    if (object->has("name") && object->get("name").isString()) {
      item.name = object->getValue<std::string>("name");
    }
    item.accountId = nestedId(object, "account");
    item.siteId = nestedId(object, "site");
    item.json = std::move((*raw)[i]);
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<PageFetcher::Page> PageFetcher::fetchPage(const std::string& apiUrl, ListKind kind,
                                                 std::size_t offset, Authorizer& authorizer,
                                                 const TransportOptions& options) {
  auto authorization = authorizer.authorization(kMinValid);
  if (!authorization) return authorization.error();
  HttpRequest request;
  request.method = "GET";
  request.url = apiUrl + "/" + listKindName(kind) + "?limit=" + std::to_string(kPageSize) +
                "&offset=" + std::to_string(offset);
  request.authorization = *authorization;
  auto response = client_.send(request, options);
  if (!response && response.error().upstreamStatus == 401) {
    auto renewed = authorizer.afterUnauthorized(*authorization);
    if (!renewed) return renewed.error();
    request.authorization = *renewed;
    response = client_.send(request, options);
    if (!response && response.error().upstreamStatus == 401) {
      const std::string profile = options.profile.empty() ? "NAME" : options.profile;
      return Error(ErrorCode::LoginRequired,
                   "the WP Engine API rejected the credentials for profile " + profile +
                       " twice; run `wpectl login --profile " + profile + "`");
    }
  }
  if (!response) return response.error();
  return parsePage(response->body, kind);
}

Result<std::vector<CacheItem>> PageFetcher::fetch(const std::string& apiUrl, ListKind kind,
                                                  Authorizer& authorizer,
                                                  const TransportOptions& options,
                                                  SyncProgress* progress) {
  auto first = fetchPage(apiUrl, kind, 0, authorizer, options);
  if (!first) return first.error();
  if (progress) progress->addPage(first->items.size());
  const std::size_t count = first->count;
  const std::size_t pages = count == 0 ? 1 : (count + kPageSize - 1) / kPageSize;
  std::vector<std::optional<Page>> results(pages);
  results[0] = std::move(*first);

  std::atomic<std::size_t> next{1};
  std::atomic<bool> stop{false};
  std::mutex errorMutex;
  std::optional<Error> firstError;
  auto worker = [&] {
    // Each worker takes the next unfetched page until none is left or one failed.
    for (std::size_t page = next++; page < pages && !stop; page = next++) {
      auto result = fetchPage(apiUrl, kind, page * kPageSize, authorizer, options);
      if (!result) {
        std::lock_guard lock(errorMutex);
        if (!firstError) firstError = result.error();
        stop = true;
        return;
      }
      if (progress) progress->addPage(result->items.size());
      results[page] = std::move(*result);  // distinct slots: no lock needed
    }
  };
  const std::size_t workers = std::min(maxWorkers_, pages - 1);
  std::vector<std::thread> threads;
  threads.reserve(workers);
  try {
    for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(worker);
  } catch (const std::system_error& e) {
    // Out of threads: stop the ones already running rather than terminate the daemon.
    stop = true;
    std::lock_guard lock(errorMutex);
    if (!firstError) {
      firstError =
          Error(ErrorCode::Internal, std::string("cannot start fetch workers: ") + e.what());
    }
  }
  for (auto& t : threads) t.join();
  if (firstError) return *firstError;

  std::vector<CacheItem> items;
  items.reserve(count);
  std::unordered_set<std::string> ids;
  ids.reserve(count);
  for (std::size_t p = 0; p < pages; ++p) {
    Page& page = *results[p];
    if (page.count != count) {
      return invalid(kind, "the list changed while it was fetched (count " + std::to_string(count) +
                               ", then " + std::to_string(page.count) +
                               "); the next sync will try again");
    }
    const std::size_t expected = std::min(kPageSize, count - std::min(count, p * kPageSize));
    if (page.items.size() != expected) {
      return invalid(kind, "the page at offset " + std::to_string(p * kPageSize) + " has " +
                               std::to_string(page.items.size()) + " items, expected " +
                               std::to_string(expected));
    }
    for (auto& item : page.items) {
      if (!ids.insert(item.id).second) {
        return invalid(kind, "id " + escapeForLog(item.id) + " appears twice");
      }
      items.push_back(std::move(item));
    }
  }
  logger_.debug(std::string("fetched ") + std::to_string(items.size()) + " " + listKindName(kind) +
                " in " + std::to_string(pages) + " pages");
  return items;
}

}  // namespace wpe
