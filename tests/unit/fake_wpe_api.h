#pragma once
// A FakeTransport handler that serves /sites, /installs and /accounts lists the way the
// WP Engine API pages them, counting requests and the most requests in flight at once.

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "tests/unit/fakes.h"

namespace wpe::testing {

class FakeWpeApi {
 public:
  explicit FakeWpeApi(std::size_t sites = 250)
      : sizes_{{"sites", sites}, {"installs", 3}, {"accounts", 2}} {}

  static std::string itemJson(const std::string& kind, std::size_t i) {
    const std::string id = kind.substr(0, 1) + "-" + std::to_string(i);
    std::string json = R"({"id":")" + id + R"(","name":")" + kind + std::to_string(i) + R"(")";
    if (kind != "accounts") json += R"(,"account":{"id":"acc-1"})";
    if (kind == "installs") json += R"(,"site":{"id":"s-0"})";
    return json + "}";
  }

  // Installs the handler on `transport`.
  void attach(FakeTransport& transport) {
    transport.setHandler([this](const HttpRequest& request) { return serve(request); });
  }

  Result<HttpResponse> serve(const HttpRequest& request) {
    const int now = ++inFlight_;
    int seen = maxInFlight_.load();
    while (now > seen && !maxInFlight_.compare_exchange_weak(seen, now)) {
    }
    // Simulated latency, so the fetcher's workers overlap the way they would upstream.
    std::this_thread::sleep_for(std::chrono::milliseconds(latencyMs));
    auto response = answer(request);
    --inFlight_;
    return response;
  }

  void setSize(const std::string& kind, std::size_t n) {
    std::lock_guard lock(mutex_);
    sizes_[kind] = n;
  }

  std::atomic<int> latencyMs{2};
  std::atomic<int> failStatus{0};        // non-zero: every request answers this
  std::atomic<int> failRetryAfter{0};    // non-zero: those failures carry Retry-After: N
  std::atomic<int> unauthorizedLeft{0};  // the next N requests answer 401
  std::atomic<int> countDrift{0};        // added to `count` on pages after the first
  std::atomic<int> countExtra{0};        // added to `count` on every page (an inflated count)
  std::atomic<int> pageCap{100};         // the most items a page holds (a server's own cap)
  std::atomic<bool> irregular{false};    // page sizes vary with the offset (1..pageCap)
  std::atomic<int> padBytes{0};          // each item gets "pad":"xxx…" of this many bytes
  std::atomic<int> requests{0};
  std::atomic<int> maxInFlight_{0};

 private:
  Result<HttpResponse> answer(const HttpRequest& request) {
    ++requests;
    if (failStatus) {
      HeaderList headers;
      if (failRetryAfter)
        headers.emplace_back("Retry-After", std::to_string(failRetryAfter.load()));
      return FakeTransport::json(failStatus, R"({"message":"scripted failure"})", headers);
    }
    if (unauthorizedLeft.fetch_sub(1) > 0) {
      return FakeTransport::json(401, R"({"message":"Bad Credentials"})");
    }
    const auto path = request.url.substr(request.url.find("/v1/") + 4);
    const std::string kind = path.substr(0, path.find('?'));
    const auto offsetAt = path.find("offset=");
    const std::size_t offset = std::stoul(path.substr(offsetAt + 7));
    std::size_t size;
    {
      std::lock_guard lock(mutex_);
      size = sizes_.at(kind);
    }
    std::size_t limit = std::min<std::size_t>(100, static_cast<std::size_t>(pageCap.load()));
    if (irregular && limit > 1) limit = 1 + (offset * 7 + 3) % limit;
    std::string results;
    for (std::size_t i = offset; i < std::min(size, offset + limit); ++i) {
      if (!results.empty()) results += ",";
      std::string item = itemJson(kind, i);
      if (padBytes > 0) {
        item.pop_back();
        item += R"(,"pad":")" + std::string(static_cast<std::size_t>(padBytes.load()), 'x') + "\"}";
      }
      results += item;
    }
    const std::size_t count = size + static_cast<std::size_t>(countExtra.load()) +
                              (offset > 0 ? static_cast<std::size_t>(countDrift.load()) : 0);
    return FakeTransport::json(200, R"({"previous":null,"next":null,"count":)" +
                                        std::to_string(count) + R"(,"results":[)" + results + "]}");
  }

  std::atomic<int> inFlight_{0};
  std::mutex mutex_;
  std::map<std::string, std::size_t> sizes_;
};

}  // namespace wpe::testing
