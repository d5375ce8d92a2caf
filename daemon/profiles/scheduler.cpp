#include "daemon/profiles/scheduler.h"

#include <algorithm>

namespace wpe {

Scheduler::Scheduler(ProfileRegistry& registry, CredentialStore& store, const Clock& clock,
                     Poco::Logger& logger)
    : registry_(registry), store_(store), clock_(clock), logger_(logger) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  LockGuard lock(mutex_);
  if (supervisor_.joinable()) return;
  stopping_ = false;
  supervisor_ = std::thread([this] { supervise(); });
}

void Scheduler::stop() {
  {
    LockGuard lock(mutex_);
    stopping_ = true;
  }
  cv_.notifyAll();
  if (supervisor_.joinable()) supervisor_.join();
  std::vector<std::unique_ptr<ProfileWorker>> all;
  {
    LockGuard lock(mutex_);
    for (auto& [name, worker] : workers_) all.push_back(std::move(worker));
    workers_.clear();
    for (auto& worker : retired_) all.push_back(std::move(worker));
    retired_.clear();
  }
  // Ask all first, then join: the workers end side by side, not one after the other.
  for (auto& worker : all) worker->requestStop();
  for (auto& worker : all) worker->join();
}

void Scheduler::requestSync(const std::string& profile) {
  auto current = registry_.find(profile);
  {
    LockGuard lock(mutex_);
    auto it = workers_.find(profile);
    if (current && it != workers_.end() && it->second->profile() == current.value()) {
      it->second->requestSync();
      return;
    }
    pendingSyncs_.insert(profile);  // the worker for this profile is not running yet
    wake_ = true;
  }
  cv_.notifyAll();
}

void Scheduler::wake() {
  {
    LockGuard lock(mutex_);
    wake_ = true;
    for (auto& [name, worker] : workers_) worker->wakeTimer();
  }
  cv_.notifyAll();
}

void Scheduler::reconcile() {
  auto profiles = registry_.all();
  LockGuard lock(mutex_);
  if (stopping_) return;
  std::set<std::string> names;
  for (auto& profile : profiles) {
    names.insert(profile->name());
    auto& slot = workers_[profile->name()];
    if (!slot || slot->profile() != profile) {
      if (slot) {
        slot->requestStop();  // rebuilt by a reload: the old Profile's work ends
        retired_.push_back(std::move(slot));
      }
      slot = std::make_unique<ProfileWorker>(profile, clock_, logger_);
      slot->start();
    }
    if (pendingSyncs_.erase(profile->name())) slot->requestSync();
  }
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (names.count(it->first)) {
      ++it;
      continue;
    }
    it->second->requestStop();  // removed from the configuration
    retired_.push_back(std::move(it->second));
    it = workers_.erase(it);
  }
  pendingSyncs_.clear();  // names that are no profile (any more)
}

void Scheduler::reapFinished() {
  std::vector<std::unique_ptr<ProfileWorker>> done;
  {
    LockGuard lock(mutex_);
    auto finished = std::stable_partition(retired_.begin(), retired_.end(),
                                          [](auto& worker) { return !worker->finished(); });
    std::move(finished, retired_.end(), std::back_inserter(done));
    retired_.erase(finished, retired_.end());
  }
  for (auto& worker : done) worker->join();  // ended already: returns at once
}

void Scheduler::supervise() {
  bool probe = true;
  for (;;) {
    // A last-resort catch per pass: a bug here must not stop every profile's work.
    try {
      reconcile();
      if (probe) {
        const StoreStatus status = store_.probe();
        probe = status.state != StoreState::Ready && status.state != StoreState::Memory;
        registry_.setStoreStatus(status);
      }
      reapFinished();
    } catch (const std::exception& e) {
      logger_.error("scheduler: %s", std::string(e.what()));
    }
    LockGuard lock(mutex_);
    if (probe || !retired_.empty()) {
      // A store to probe again, or a retired worker to join once it has ended.
      const auto until = std::chrono::steady_clock::now() + kMaxSleep;
      while (!stopping_ && !wake_ && cv_.waitUntil(mutex_, until)) {
      }
    } else {
      while (!stopping_ && !wake_) cv_.wait(mutex_);
    }
    if (stopping_) return;
    wake_ = false;
  }
}

}  // namespace wpe
