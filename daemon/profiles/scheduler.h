#pragma once
// Scheduler: the daemon's background work, one ProfileWorker per profile (its own timer and
// sync threads) so that one profile's stuck upstream never delays another profile's syncs,
// token refreshes or restores (docs/security.md rules 13, 14).
//  - The supervisor thread keeps the workers in step with the ProfileRegistry (a profile
//    added or rebuilt by a reload gets a new worker; the old one is asked to stop and joined
//    once it has ended) on wake(), and probes the credential store: at start, and then every
//    kMaxSleep only while the store is locked or unavailable (so a keyring unlocked by the
//    user is noticed). A ready store is not probed again: an idle daemon sends no D-Bus
//    traffic (issue 10); reading or saving a credential reports the store's state anyway
//    (ReportingCredentialStore, Profile's restore).
//  - Deadlines come from Clock::boottime(), so a wake after suspend finds an overdue refresh
//    and does it at once.
// start() launches the supervisor; stop() (and the destructor) ends it and every worker,
// waiting for each to finish its current step (which an upstream exchange ends at once when
// the DeadlineWatch was cancelled first). requestSync() and wake() may be called from any
// thread.

#include <Poco/Logger.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "daemon/time/clock.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/profiles/profile_registry.h"
#include "daemon/profiles/profile_worker.h"

namespace wpe {

class Scheduler {
 public:
  // 30 s: a keyring unlocked by the user is noticed within half a minute even when no
  // request arrives.
  static constexpr std::chrono::seconds kMaxSleep{30};

  Scheduler(ProfileRegistry& registry, CredentialStore& store, const Clock& clock,
            Poco::Logger& logger);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start() EXCLUDES(mutex_);
  void stop() EXCLUDES(mutex_);

  // Asks the profile's worker to sync soon (after a login or a write).
  void requestSync(const std::string& profile) EXCLUDES(mutex_);
  // After a reload (profiles added or rebuilt) or a moved refresh deadline: the supervisor
  // re-reads the registry and every worker re-reads its tick().
  void wake() EXCLUDES(mutex_);

 private:
  void supervise() EXCLUDES(mutex_);
  void reconcile() EXCLUDES(mutex_);
  void reapFinished() EXCLUDES(mutex_);

  ProfileRegistry& registry_;
  CredentialStore& store_;
  const Clock& clock_;
  Poco::Logger& logger_;

  Mutex mutex_;
  CondVar cv_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool wake_ GUARDED_BY(mutex_) = false;
  // by profile name
  std::map<std::string, std::unique_ptr<ProfileWorker>> workers_ GUARDED_BY(mutex_);
  // asked to stop, not joined yet
  std::vector<std::unique_ptr<ProfileWorker>> retired_ GUARDED_BY(mutex_);
  // asked for before the profile's worker existed
  std::set<std::string> pendingSyncs_ GUARDED_BY(mutex_);
  // Set by start() and joined by stop(), both from the owner's thread.
  std::thread supervisor_;
};

}  // namespace wpe
