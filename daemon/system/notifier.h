#pragma once
// Notifier: the sd_notify protocol (READY=1, STATUS=, RELOADING=1, STOPPING=1, WATCHDOG=1)
// through libsystemd. Every call is a no-op when NOTIFY_SOCKET is unset (wped run by hand).
// Thread-safe (sd_notify is; each message is one datagram).

#include <chrono>
#include <optional>
#include <string>

namespace wpe {

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void ready(const std::string& status) = 0;
  virtual void status(const std::string& status) = 0;
  virtual void reloading() = 0;
  virtual void stopping() = 0;
  virtual void watchdog() = 0;
  // WATCHDOG_USEC when the watchdog is on and meant for us; nullopt otherwise.
  virtual std::optional<std::chrono::microseconds> watchdogInterval() = 0;
};

class SystemdNotifier final : public Notifier {
 public:
  void ready(const std::string& status) override;
  void status(const std::string& status) override;
  void reloading() override;
  void stopping() override;
  void watchdog() override;
  std::optional<std::chrono::microseconds> watchdogInterval() override;
};

}  // namespace wpe
