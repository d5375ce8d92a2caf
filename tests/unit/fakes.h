#pragma once
// Hand-written fakes for the I/O interfaces, shared by every unit test. Each is thread-safe
// so concurrency tests (single-flight refresh, concurrent page fetches) can use them.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "daemon/time/clock.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/upstream/http_transport.h"

namespace wpe::testing {

// A clock that moves only when told. advance() moves both boot and wall time;
// suspend() moves boot and wall time but is named for what it models.
class FakeClock final : public Clock {
 public:
  BootTime boottime() const override {
    std::lock_guard lock(mutex_);
    return boot_;
  }
  WallTime now() const override {
    std::lock_guard lock(mutex_);
    return wall_;
  }
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mutex_);
    boot_ += d;
    wall_ += std::chrono::duration_cast<WallTime::duration>(d);
  }
  void setWall(WallTime t) {
    std::lock_guard lock(mutex_);
    wall_ = t;
  }

 private:
  mutable std::mutex mutex_;
  BootTime boot_{std::chrono::hours(1)};
  WallTime wall_{std::chrono::seconds(1'800'000'000)};  // 2027-01-15, a fixed point
};

// A transport answered by a handler function (or a queue of canned responses), recording
// every request it saw.
class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void setHandler(Handler h) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(h);
  }
  void enqueue(Result<HttpResponse> r) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(r));
  }
  Result<HttpResponse> send(const HttpRequest& request, const TransportOptions&) override {
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      if (!queue_.empty()) {
        auto r = std::move(queue_.front());
        queue_.pop_front();
        return r;
      }
      handler = handler_;
    }
    if (handler) return handler(request);
    return Error(ErrorCode::UpstreamUnreachable, "FakeTransport: nothing scripted");
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t requestCount() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

  static HttpResponse json(int status, std::string body, HeaderList headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }

 private:
  mutable std::mutex mutex_;
  Handler handler_;
  std::deque<Result<HttpResponse>> queue_;
  std::vector<HttpRequest> requests_;
};

// A credential store in a map, whose next operations can be made to fail.
class FakeCredentialStore final : public CredentialStore {
 public:
  Result<std::optional<StoredCredential>> load(const std::string& profile) override {
    std::unique_lock lock(mutex_);
    ++loads_;
    loadsCv_.notify_all();
    loadsCv_.wait(lock, [this] { return !holdLoads_; });
    if (failLoad_) return *failLoad_;
    auto it = items_.find(profile);
    if (it == items_.end()) return std::optional<StoredCredential>();
    return std::optional<StoredCredential>(it->second);
  }
  Status save(const std::string& profile, const StoredCredential& credential) override {
    std::lock_guard lock(mutex_);
    ++saves_;
    if (failSave_) return *failSave_;
    items_[profile] = credential;
    return {};
  }
  Status erase(const std::string& profile) override {
    std::lock_guard lock(mutex_);
    items_.erase(profile);
    return {};
  }
  StoreStatus probe() override {
    std::lock_guard lock(mutex_);
    return status_;
  }

  void failSavesWith(std::optional<Error> e) {
    std::lock_guard lock(mutex_);
    failSave_ = std::move(e);
  }
  void failLoadsWith(std::optional<Error> e) {
    std::lock_guard lock(mutex_);
    failLoad_ = std::move(e);
  }
  void setStatus(StoreStatus s) {
    std::lock_guard lock(mutex_);
    status_ = std::move(s);
  }
  std::optional<StoredCredential> item(const std::string& profile) const {
    std::lock_guard lock(mutex_);
    auto it = items_.find(profile);
    if (it == items_.end()) return std::nullopt;
    return it->second;
  }
  int saves() const {
    std::lock_guard lock(mutex_);
    return saves_;
  }
  int loads() const {
    std::lock_guard lock(mutex_);
    return loads_;
  }
  // A slow keyring: load() waits while held (a read in progress), until released.
  void holdLoads(bool hold) {
    {
      std::lock_guard lock(mutex_);
      holdLoads_ = hold;
    }
    loadsCv_.notify_all();
  }
  // Waits until load() has been called `count` times (true) or 5 s passed (false).
  bool waitForLoads(int count) {
    std::unique_lock lock(mutex_);
    return loadsCv_.wait_for(lock, std::chrono::seconds(5), [&] { return loads_ >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, StoredCredential> items_;
  std::optional<Error> failSave_;
  std::optional<Error> failLoad_;
  StoreStatus status_{StoreState::Ready, ""};
  int saves_ = 0;
  int loads_ = 0;
  bool holdLoads_ = false;
  std::condition_variable loadsCv_;
};

}  // namespace wpe::testing
