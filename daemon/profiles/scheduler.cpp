#include "daemon/profiles/scheduler.h"

#include <algorithm>

namespace wpe {

Scheduler::Scheduler(ProfileRegistry& registry, CredentialStore& store, const Clock& clock,
                     Poco::Logger& logger)
    : registry_(registry), store_(store), clock_(clock), logger_(logger) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  std::lock_guard lock(mutex_);
  if (timer_.joinable()) return;
  stopping_ = false;
  timer_ = std::thread([this] { timerLoop(); });
  sync_ = std::thread([this] { syncLoop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  timerCv_.notify_all();
  syncCv_.notify_all();
  if (timer_.joinable()) timer_.join();
  if (sync_.joinable()) sync_.join();
}

void Scheduler::requestSync(const std::string& profile) {
  {
    std::lock_guard lock(mutex_);
    syncRequests_.insert(profile);
  }
  syncCv_.notify_all();
}

void Scheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    timerWake_ = true;
  }
  timerCv_.notify_all();
}

void Scheduler::timerLoop() {
  for (;;) {
    // A last-resort catch per timer pass: one profile's bug must not stop every refresh.
    BootTime next = clock_.boottime() + kMaxSleep;
    try {
      registry_.setStoreStatus(store_.probe());
      for (auto& profile : registry_.all()) next = std::min(next, profile->tick());
    } catch (const std::exception& e) {
      logger_.error("scheduler: %s", std::string(e.what()));
    }
    auto wait = std::max(next - clock_.boottime(), BootTime(std::chrono::milliseconds(10)));
    std::unique_lock lock(mutex_);
    timerCv_.wait_for(lock, wait, [this] { return stopping_ || timerWake_; });
    if (stopping_) return;
    timerWake_ = false;
  }
}

void Scheduler::syncLoop() {
  // 5 s: how late a due background sync may start; syncIfDue itself is cheap when not due.
  constexpr std::chrono::seconds kPoll{5};
  for (;;) {
    std::set<std::string> requested;
    {
      std::unique_lock lock(mutex_);
      syncCv_.wait_for(lock, kPoll, [this] { return stopping_ || !syncRequests_.empty(); });
      if (stopping_) return;
      requested.swap(syncRequests_);
    }
    for (auto& profile : registry_.all()) {
      try {
        if (profile->snapshot().state != CredentialState::Ready) continue;
        // Restored or OAuth-logged-in profiles learn whose they are here, off the timer
        // thread (a GET /user may wait for the API).
        profile->fetchAccountIfUnknown();
        if (requested.count(profile->name())) {
          auto result = profile->catalog().sync();
          if (!result) {
            logger_.warning("profile %s: sync failed: %s", profile->name(), result.error().message);
          }
        } else {
          profile->catalog().syncIfDue();
        }
      } catch (const std::exception& e) {
        logger_.error("profile %s: sync: %s", profile->name(), std::string(e.what()));
      }
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

}  // namespace wpe
