#include "daemon/upstream/rate_limit_gate.h"

namespace wpe {

void RateLimitGate::close(const std::string& profile, std::chrono::seconds wait) {
  if (wait <= std::chrono::seconds(0)) return;
  const BootTime until = clock_.boottime() + wait;
  LockGuard lock(mutex_);
  Entry& entry = entries_[profile];
  if (until > entry.until) {
    entry.until = until;
    entry.wallUntil = clock_.now() + wait;
  }
}

std::optional<std::chrono::seconds> RateLimitGate::remaining(const std::string& profile) const {
  const BootTime now = clock_.boottime();
  LockGuard lock(mutex_);
  auto it = entries_.find(profile);
  if (it == entries_.end() || it->second.until <= now) return std::nullopt;
  const auto left = it->second.until - now;
  // Rounded up: "Retry-After: 0" would invite the client straight back into a closed gate.
  return std::chrono::ceil<std::chrono::seconds>(left);
}

void RateLimitGate::countHeldBack(const std::string& profile) {
  LockGuard lock(mutex_);
  ++entries_[profile].heldBack;
}

RateLimitGate::Snapshot RateLimitGate::snapshot(const std::string& profile) const {
  const BootTime now = clock_.boottime();
  LockGuard lock(mutex_);
  Snapshot s;
  auto it = entries_.find(profile);
  if (it == entries_.end()) return s;
  s.heldBack = it->second.heldBack;
  if (it->second.until > now) s.until = it->second.wallUntil;
  return s;
}

}  // namespace wpe
