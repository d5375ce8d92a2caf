#pragma once
// ConfigHolder: the daemon's current configuration, swapped whole on reload.
// Readers take a snapshot (shared_ptr to an immutable DaemonConfig) and keep using it even
// if a reload replaces it meanwhile. Modules that keep per-profile state subscribe with
// onChange() (at wiring time, before serving) and are called after each successful swap,
// on the reloading thread, with the old and the new config.
// Thread-safe.

#include <functional>
#include <memory>
#include <vector>

#include "common/mutex.h"
#include "daemon/config/daemon_config.h"

namespace wpe {

class ConfigHolder {
 public:
  using Snapshot = std::shared_ptr<const DaemonConfig>;
  using Listener = std::function<void(const DaemonConfig& before, const DaemonConfig& after)>;

  explicit ConfigHolder(DaemonConfig initial)
      : current_(std::make_shared<const DaemonConfig>(std::move(initial))) {}

  Snapshot current() const {
    LockGuard lock(mutex_);
    return current_;
  }

  void replace(DaemonConfig next) {
    Snapshot before, after = std::make_shared<const DaemonConfig>(std::move(next));
    std::vector<Listener> listeners;
    {
      LockGuard lock(mutex_);
      before = current_;
      current_ = after;
      listeners = listeners_;
    }
    for (const auto& listener : listeners) listener(*before, *after);
  }

  // Register before serving starts.
  void onChange(Listener listener) {
    LockGuard lock(mutex_);
    listeners_.push_back(std::move(listener));
  }

 private:
  mutable Mutex mutex_;
  Snapshot current_ GUARDED_BY(mutex_);
  std::vector<Listener> listeners_ GUARDED_BY(mutex_);
};

}  // namespace wpe
