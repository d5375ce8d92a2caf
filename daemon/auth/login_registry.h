#pragma once
// LoginRegistry: the OAuth logins the local API knows, by login_id (32 random bytes,
// base64url — unguessable, so `GET /v1/logins/{id}` needs no other check beyond the
// socket's uid). One pending login per profile: a new one cancels the previous (the user
// retried; its listener would otherwise hold the redirect port for minutes).
// Finished sessions are kept for kRetention after they finish so a client polling
// `?wait=` still sees the outcome, then dropped by sweep() (called by add() and find()).
// Thread-safe.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "common/result.h"
#include "daemon/auth/login_session.h"
#include "daemon/time/clock.h"

namespace wpe {

struct LoginEntry {
  std::string loginId;
  std::shared_ptr<LoginSession> session;
  WallTime expiresAt;  // when the login times out, for the 202 answer
};

class LoginRegistry {
 public:
  static constexpr std::chrono::seconds kRetention{600};

  explicit LoginRegistry(const Clock& clock, std::chrono::seconds retention = kRetention);

  // Registers a started session under a fresh id.
  Result<LoginEntry> add(std::shared_ptr<LoginSession> session);
  // nullptr when unknown or expired.
  std::shared_ptr<LoginSession> find(const std::string& loginId);
  void sweep();
  std::size_t size() const;

 private:
  struct Item {
    std::shared_ptr<LoginSession> session;
    std::optional<BootTime> finishedAt;  // first seen not pending
  };
  void sweepLocked() REQUIRES(mutex_);

  const Clock& clock_;
  const std::chrono::seconds retention_;
  mutable Mutex mutex_;
  std::map<std::string, Item> items_ GUARDED_BY(mutex_);
};

}  // namespace wpe
