#pragma once
// LoginRequiredHook: runs the configured program when a profile needs a new login (e.g. a
// desktop notification). The argv is executed directly (no shell) with the profile name
// appended as the last argument, stdin from /dev/null, and a minimal environment
// (docs/security.md rule 17): PATH=/usr/bin:/bin, HOME, and DISPLAY, WAYLAND_DISPLAY,
// DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR when set — nothing else, so no secret can leak
// through it. The child starts with an empty signal mask (wped blocks its termination signals
// in every thread), SIGPIPE at its default, and no descriptor beyond 0-2.
// A run that takes longer than killAfter is killed (SIGKILL).
// run() never blocks: the child is reaped by a detached thread which owns what it uses.
// Thread-safe. An empty argv makes run() a no-op.

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace wpe {

class LoginRequiredHook {
 public:
  static constexpr std::chrono::seconds kKillAfter{10};

  LoginRequiredHook(std::vector<std::string> argv, Poco::Logger& logger,
                    std::chrono::milliseconds killAfter = kKillAfter);

  // Starts the program for `profile`; failures to start are logged, not returned (the hook
  // is a courtesy, the profile's state already says login_required).
  void run(const std::string& profile);

  // Children started and not yet reaped (for tests and status).
  int running() const { return state_->running.load(); }

 private:
  struct Shared {
    std::atomic<int> running{0};
  };
  std::vector<std::string> argv_;
  Poco::Logger& logger_;  // Poco loggers live until process exit: safe in detached threads
  std::chrono::milliseconds killAfter_;
  std::shared_ptr<Shared> state_;
};

}  // namespace wpe
