#include "daemon/auth/login_registry.h"

#include <vector>

#include "daemon/auth/pkce.h"

namespace wpe {

LoginRegistry::LoginRegistry(const Clock& clock, std::chrono::seconds retention)
    : clock_(clock), retention_(retention) {}

Result<LoginEntry> LoginRegistry::add(std::shared_ptr<LoginSession> session) {
  auto id = Pkce::randomToken(32);
  if (!id) return id.error();
  std::vector<std::shared_ptr<LoginSession>> superseded;
  {
    LockGuard lock(mutex_);
    sweepLocked();
    for (auto& [key, item] : items_) {
      if (item.session->profile() == session->profile() &&
          item.session->state().state == LoginState::Pending) {
        superseded.push_back(item.session);
      }
    }
    items_[id.value()] = Item{session, std::nullopt};
  }
  // Outside the lock: cancelling closes a listener.
  for (auto& s : superseded) s->cancel("superseded by a newer login for this profile");
  return LoginEntry{id.value(), session, session->expiresAt()};
}

std::shared_ptr<LoginSession> LoginRegistry::find(const std::string& loginId) {
  LockGuard lock(mutex_);
  sweepLocked();
  auto it = items_.find(loginId);
  return it == items_.end() ? nullptr : it->second.session;
}

void LoginRegistry::sweep() {
  LockGuard lock(mutex_);
  sweepLocked();
}

std::size_t LoginRegistry::size() const {
  LockGuard lock(mutex_);
  return items_.size();
}

void LoginRegistry::sweepLocked() {
  const BootTime now = clock_.boottime();
  for (auto it = items_.begin(); it != items_.end();) {
    Item& item = it->second;
    if (!item.finishedAt && item.session->state().state != LoginState::Pending) {
      item.finishedAt = now;
    }
    if (item.finishedAt && now - *item.finishedAt >= retention_) {
      it = items_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace wpe
