#include "daemon/profiles/profile_worker.h"

#include <algorithm>

namespace wpe {

ProfileWorker::ProfileWorker(std::shared_ptr<Profile> profile, const Clock& clock,
                             Poco::Logger& logger)
    : profile_(std::move(profile)), clock_(clock), logger_(logger) {}

ProfileWorker::~ProfileWorker() {
  requestStop();
  join();
}

void ProfileWorker::start() {
  std::lock_guard lock(mutex_);
  if (timer_.joinable()) return;
  running_ = 2;
  timer_ = std::thread([this] { timerLoop(); });
  sync_ = std::thread([this] { syncLoop(); });
}

void ProfileWorker::requestStop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  timerCv_.notify_all();
  syncCv_.notify_all();
}

void ProfileWorker::join() {
  if (timer_.joinable()) timer_.join();
  if (sync_.joinable()) sync_.join();
}

bool ProfileWorker::finished() const {
  std::lock_guard lock(mutex_);
  return running_ == 0;
}

void ProfileWorker::requestSync() {
  {
    std::lock_guard lock(mutex_);
    syncRequested_ = true;
  }
  syncCv_.notify_all();
}

void ProfileWorker::wakeTimer() {
  {
    std::lock_guard lock(mutex_);
    timerWake_ = true;
  }
  timerCv_.notify_all();
}

void ProfileWorker::timerLoop() {
  for (;;) {
    // Never sleep longer than a minute (docs/security.md rule 10), whatever tick() says.
    BootTime next = clock_.boottime() + std::chrono::minutes(1);
    try {
      next = std::min(next, profile_->tick());
    } catch (const std::exception& e) {  // last resort: the next pass may fare better
      logger_.error("profile %s: timer: %s", profile_->name(), std::string(e.what()));
    }
    auto wait = std::max(next - clock_.boottime(), BootTime(std::chrono::milliseconds(10)));
    std::unique_lock lock(mutex_);
    timerCv_.wait_for(lock, wait, [this] { return stopping_ || timerWake_; });
    timerWake_ = false;
    if (stopping_) break;
  }
  std::lock_guard lock(mutex_);
  --running_;
}

void ProfileWorker::syncLoop() {
  for (;;) {
    bool requested;
    {
      std::unique_lock lock(mutex_);
      syncCv_.wait_for(lock, kSyncPoll, [this] { return stopping_ || syncRequested_; });
      if (stopping_) break;
      requested = syncRequested_;
      syncRequested_ = false;
    }
    try {
      if (profile_->snapshot().state != CredentialState::Ready) continue;
      // Restored or OAuth-logged-in profiles learn whose they are here (a GET /user may wait
      // for the API: this profile's thread, nobody else's).
      profile_->fetchAccountIfUnknown();
      if (requested) {
        auto result = profile_->catalog().sync();
        if (!result) {
          logger_.warning("profile %s: sync failed: %s", profile_->name(), result.error().message);
        }
      } else {
        profile_->catalog().syncIfDue();
      }
    } catch (const std::exception& e) {  // last resort per pass
      logger_.error("profile %s: sync: %s", profile_->name(), std::string(e.what()));
    }
  }
  std::lock_guard lock(mutex_);
  --running_;
}

}  // namespace wpe
