#pragma once
// Scheduler: the daemon's two background threads.
//  - The timer thread calls every profile's tick() (credential restore retries, OAuth refresh
//    deadlines) and probes the credential store, waking when the earliest profile asks and
//    at least every 30 s. Deadlines come from Clock::boottime(), so a wake after suspend
//    finds an overdue refresh and does it at once.
//  - The sync thread runs background site syncs (SiteCatalog::syncIfDue) for ready profiles
//    and the syncs requested after a login or a write through the passthrough. Syncs take
//    seconds; keeping them off the timer thread keeps refreshes on time.
// start() launches both; stop() (and the destructor) ends them, waiting for a running sync
// to finish its current request. requestSync() may be called from any thread.

#include <Poco/Logger.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "daemon/core/clock.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/profiles/profile_registry.h"

namespace wpe {

class Scheduler {
 public:
  // 30 s: a keyring unlocked by the user is noticed within half a minute even when no
  // request arrives, and security.md rule 7 asks for a wake at least every minute.
  static constexpr std::chrono::seconds kMaxSleep{30};

  Scheduler(ProfileRegistry& registry, CredentialStore& store, const Clock& clock,
            Poco::Logger& logger);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  void stop();

  void requestSync(const std::string& profile);
  // Wakes the timer thread now (after a reload added profiles).
  void wake();

 private:
  void timerLoop();
  void syncLoop();

  ProfileRegistry& registry_;
  CredentialStore& store_;
  const Clock& clock_;
  Poco::Logger& logger_;

  std::mutex mutex_;
  std::condition_variable timerCv_;
  std::condition_variable syncCv_;
  bool stopping_ = false;
  bool timerWake_ = false;
  std::set<std::string> syncRequests_;
  std::thread timer_;
  std::thread sync_;
};

}  // namespace wpe
