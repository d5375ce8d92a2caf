#pragma once
// SecretServiceStore: CredentialStore on the freedesktop Secret Service (gnome-keyring,
// KeePassXC, …) through libsecret. The only file that includes <libsecret/secret.h> is its .cpp.
//
// Items: schema "com.wpengine.wped.Credential" with the string attributes `profile`, `kind`
// and the binding (`origin`; for oauth also `token_endpoint` and `client_id`; absent on items
// stored before binding existed); label "wped: WP Engine credential (profile NAME)"; one item
// per profile, stored in the default collection. The secret value carries everything secret.
//
// Threads: every libsecret/GLib call runs on one GlibWorker thread (its own GMainContext),
// started by start(). Each call waits at most `deadline` (default 5 s); on timeout the job is
// cancelled and the call fails with KeyringUnavailable "the Secret Service did not answer
// within 5 s", and while that job is stuck further calls fail at once. Never prompts: a
// locked collection is reported as KeyringLocked, never unlocked.
//
// Failures: KeyringUnavailable (no session bus, no Secret Service, no default collection,
// timeout, not started), KeyringLocked. State transitions are logged once to the logger
// passed in; secrets never are. Thread-safe: any thread may call any method.

#include <chrono>

#include "common/mutex.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/credentials/glib_worker.h"

namespace Poco {
class Logger;
}

namespace wpe {

class SecretServiceStore final : public CredentialStore {
 public:
  static constexpr std::chrono::milliseconds kDefaultDeadline{5000};

  // `logger` must outlive the store.
  explicit SecretServiceStore(Poco::Logger& logger,
                              std::chrono::milliseconds deadline = kDefaultDeadline);
  ~SecretServiceStore() override;  // stops the worker (waits at most the deadline)

  // Starts the worker thread; before it every call fails with KeyringUnavailable.
  Status start();

  Result<std::optional<StoredCredential>> load(const std::string& profile) override;
  Status save(const std::string& profile, const StoredCredential& credential) override;
  Status erase(const std::string& profile) override;
  StoreStatus probe() override;

 private:
  // Runs a job that produces T on the worker; maps timeouts/busy/stopped to errors.
  template <typename T, typename Fn>
  Result<T> call(Fn fn);
  Error workerError(GlibWorker::Outcome outcome) const;
  // Records the state an operation revealed and logs it when it changed.
  void noteState(StoreState state, const std::string& detail);
  void noteError(const Error& error);

  Poco::Logger& logger_;
  GlibWorker worker_;
  Mutex stateMutex_;
  bool stateKnown_ GUARDED_BY(stateMutex_) = false;
  StoreState lastState_ GUARDED_BY(stateMutex_) = StoreState::Unavailable;
};

}  // namespace wpe
