#pragma once
// StatusProvider: what GET /v1/status reports beyond the daemon's own facts. The core
// endpoints ask it for the credential store's state and for each profile's state;
// ProfileRegistry implements it. It lives here, beside its implementation, so that localapi
// uses profiles and never the reverse (tests/docs/test_folder_dependencies.py). Calls come
// from serving threads: implementations must be thread-safe and
// fast (never block on the keyring or the network here; report the last known state).

#include "common/wire.h"
#include "daemon/config/profile_config.h"

namespace wpe {

class StatusProvider {
 public:
  virtual ~StatusProvider() = default;
  virtual StoreStatusInfo credentialStore() = 0;
  // The site cache: "ready" (detail: its path) or "unavailable" (detail: why, what to do).
  virtual StoreStatusInfo cache() { return {"unknown", ""}; }
  // Fills state/detail/extra of `out` (name and auth are already set).
  virtual void describeProfile(const ProfileConfig& profile, ProfileStatus& out) = 0;
};

}  // namespace wpe
