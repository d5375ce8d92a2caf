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
  LockGuard lock(mutex_);
  if (timer_.joinable()) return;
  running_ = 2;
  timer_ = std::thread([this] { timerLoop(); });
  sync_ = std::thread([this] { syncLoop(); });
}

void ProfileWorker::requestStop() {
  {
    LockGuard lock(mutex_);
    stopping_ = true;
  }
  timerCv_.notifyAll();
  syncCv_.notifyAll();
}

void ProfileWorker::join() {
  if (timer_.joinable()) timer_.join();
  if (sync_.joinable()) sync_.join();
}

bool ProfileWorker::finished() const {
  LockGuard lock(mutex_);
  return running_ == 0;
}

void ProfileWorker::requestSync() {
  {
    LockGuard lock(mutex_);
    syncRequested_ = true;
  }
  syncCv_.notifyAll();
}

void ProfileWorker::wakeTimer() {
  {
    LockGuard lock(mutex_);
    timerWake_ = true;
  }
  timerCv_.notifyAll();
}

void ProfileWorker::timerLoop() {
  bool wasReady = false;
  for (;;) {
    // Never sleep longer than a minute (the waits run on the steady clock, the deadlines on
    // the boot clock: after a suspend, a deadline is noticed within a minute).
    BootTime next = clock_.boottime() + std::chrono::minutes(1);
    try {
      next = std::min(next, profile_->tick());
      next = std::min(next, checkSync(wasReady));
    } catch (const std::exception& e) {  // last resort: the next pass may fare better
      logger_.error("profile %s: timer: %s", profile_->name(), std::string(e.what()));
    }
    auto wait = std::max(next - clock_.boottime(), BootTime(std::chrono::milliseconds(10)));
    LockGuard lock(mutex_);
    const auto until = std::chrono::steady_clock::now() + wait;
    while (!stopping_ && !timerWake_ && timerCv_.waitUntil(mutex_, until)) {
    }
    timerWake_ = false;
    if (stopping_) break;
  }
  LockGuard lock(mutex_);
  --running_;
}

BootTime ProfileWorker::checkSync(bool& wasReady) {
  const bool ready = profile_->snapshot().state == CredentialState::Ready;
  const bool becameReady = ready && !wasReady;
  wasReady = ready;
  if (!ready) return BootTime::max();
  const BootTime due = profile_->catalog().nextSyncDue();
  const bool isDue = due <= clock_.boottime();
  if (becameReady || isDue || !profile_->account()) {
    {
      LockGuard lock(mutex_);
      syncCheck_ = true;
    }
    syncCv_.notifyAll();
  }
  // Due now (or a sync running): the sync thread has been told; the minute cap applies.
  return isDue ? BootTime::max() : due;
}

void ProfileWorker::syncLoop() {
  bool first = true;
  for (;;) {
    bool requested;
    bool synced = false;
    {
      LockGuard lock(mutex_);
      if (first) {
        // The first look waits kFirstLook (or a request): a start restores the credential
        // and serves the cache before anything here may ask the API.
        const auto until = std::chrono::steady_clock::now() + kFirstLook;
        while (!stopping_ && !syncRequested_ && syncCv_.waitUntil(mutex_, until)) {
        }
        first = false;
      } else {
        while (!stopping_ && !syncRequested_ && !syncCheck_) syncCv_.wait(mutex_);
      }
      if (stopping_) break;
      requested = syncRequested_;
      syncRequested_ = false;
      syncCheck_ = false;
    }
    try {
      if (profile_->snapshot().state != CredentialState::Ready) continue;
      // Restored or OAuth-logged-in profiles learn whose they are here (a GET /user may wait
      // for the API: this profile's thread, nobody else's).
      profile_->fetchAccountIfUnknown();
      const Generation::Stamp credentials = profile_->credentialStamp();
      // A login asks for a sync once its credential is in place, a write through the
      // passthrough once it has marked lists stale. When this worker has synced with that
      // credential since and no list was marked stale since, the request is met: an OAuth
      // login also wakes the timer, which may notice the new credential first and sync
      // (every list used to be fetched twice after such a login).
      if (requested && syncedWith_ == credentials && !profile_->catalog().anyMarkedStale()) {
        requested = false;
      }
      if (requested) {
        synced = true;
        auto result = profile_->catalog().sync();
        if (!result) {
          logger_.warning("profile %s: sync failed: %s", profile_->name(), result.error().message);
        }
      } else {
        synced = profile_->catalog().syncIfDue();
      }
      if (synced && profile_->credentialStamp() == credentials) syncedWith_ = credentials;
    } catch (const std::exception& e) {  // last resort per pass
      logger_.error("profile %s: sync: %s", profile_->name(), std::string(e.what()));
    }
    // A sync set the next due time (a short interval, or a failure retried in a minute):
    // the timer thread reads it again. Only after a sync: a pass that ran none would
    // otherwise bounce between the two threads.
    if (synced) wakeTimer();
  }
  LockGuard lock(mutex_);
  --running_;
}

}  // namespace wpe
