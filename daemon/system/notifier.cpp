#include "daemon/system/notifier.h"

#include <systemd/sd-daemon.h>

#include "common/log_escape.h"

namespace wpe {
namespace {

// STATUS= is one line: newlines would start a new assignment.
std::string oneLine(const std::string& text) { return escapeForLog(text, 200); }

}  // namespace

void SystemdNotifier::ready(const std::string& status) {
  sd_notify(0, ("READY=1\nSTATUS=" + oneLine(status)).c_str());
}

void SystemdNotifier::status(const std::string& status) {
  sd_notify(0, ("STATUS=" + oneLine(status)).c_str());
}

void SystemdNotifier::reloading() {
  sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
}

void SystemdNotifier::stopping() { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::watchdog() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> SystemdNotifier::watchdogInterval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) return std::chrono::microseconds(usec);
  return std::nullopt;
}

}  // namespace wpe
