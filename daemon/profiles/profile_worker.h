#pragma once
// ProfileWorker: one profile's background work on threads of its own, so a profile whose
// upstream hangs delays nobody else (docs/security.md rules 13, 14).
//  - The timer thread calls Profile::tick() (credential restore retries, OAuth refresh
//    deadlines) and sleeps until the time it returns, the catalog's next background sync
//    (SiteCatalog::nextSyncDue) or a minute, whichever is first, or until wakeTimer().
//  - The sync thread sleeps until it is asked: by requestSync(), or by the timer thread when
//    the profile became ready, its account is not known yet or a background sync is due. It
//    then runs the account look-up when unknown, and the sync asked for or
//    SiteCatalog::syncIfDue. An idle profile thus wakes once a minute, on its timer thread
//    (issue 10: it used to poll every 5 s).
// start() launches both threads; requestStop() asks them to end without waiting (a thread
// stuck in an upstream exchange ends when that exchange does: at its deadline, or at once
// when wped is stopping); join() waits; finished() tells whether both have ended.
// Thread-safe. Holds the Profile alive while it runs.

#include <Poco/Logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "daemon/time/clock.h"
#include "daemon/profiles/profile.h"

namespace wpe {

class ProfileWorker {
 public:
  // 5 s after start the sync thread looks once on its own (as the 5 s poll it replaces did):
  // a restart restores and serves from the cache before the account look-up or a due sync.
  static constexpr std::chrono::seconds kFirstLook{5};

  ProfileWorker(std::shared_ptr<Profile> profile, const Clock& clock, Poco::Logger& logger);
  ~ProfileWorker();  // requestStop() + join()
  ProfileWorker(const ProfileWorker&) = delete;
  ProfileWorker& operator=(const ProfileWorker&) = delete;

  const std::shared_ptr<Profile>& profile() const { return profile_; }

  void start() EXCLUDES(mutex_);
  void requestStop() EXCLUDES(mutex_);
  void join();
  bool finished() const EXCLUDES(mutex_);

  // A sync, asked for by a login (its new credential) or a write through the passthrough
  // (lists marked stale). Met by a sync that starts after the request, or by one this
  // worker ran with the same credential when no list was marked stale since.
  void requestSync() EXCLUDES(mutex_);
  void wakeTimer() EXCLUDES(mutex_);

 private:
  void timerLoop() EXCLUDES(mutex_);
  void syncLoop() EXCLUDES(mutex_);
  // Called on the timer thread after tick(): wakes the sync thread when there is something
  // for it to look at; returns when the next background sync is due (BootTime::max() when
  // not ready, or due now).
  BootTime checkSync(bool& wasReady) EXCLUDES(mutex_);

  const std::shared_ptr<Profile> profile_;
  const Clock& clock_;
  Poco::Logger& logger_;

  mutable Mutex mutex_;  // guards the flags below
  CondVar timerCv_;
  CondVar syncCv_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool timerWake_ GUARDED_BY(mutex_) = false;
  bool syncRequested_ GUARDED_BY(mutex_) = false;
  // the timer thread asks the sync thread to look (see above)
  bool syncCheck_ GUARDED_BY(mutex_) = false;
  int running_ GUARDED_BY(mutex_) = 0;  // threads not yet ended
  // The credential of the last sync this worker ran (the sync thread's alone).
  std::optional<Generation::Stamp> syncedWith_;
  // Set by start() and joined by join(), both from the owner's thread (the Scheduler).
  std::thread timer_;
  std::thread sync_;
};

}  // namespace wpe
