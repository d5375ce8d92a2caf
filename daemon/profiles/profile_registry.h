#pragma once
// ProfileRegistry: the configured profiles at run time, by name. Built from the config at
// start; apply() on each reload adds new profiles, drops removed ones and rebuilds those
// whose settings changed (each rebuilt profile restores its credential from the keyring
// again); an unchanged profile keeps its object, its state and its credential.
//
// Handlers hold a shared_ptr<Profile> for the length of a request, so a reload never
// destroys a profile in use. Also the StatusProvider for GET /v1/status: it reports the last
// known state (never touching the keyring or the network on a serving thread).
// Thread-safe.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "daemon/config/daemon_config.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/profiles/profile.h"
#include "daemon/profiles/status_provider.h"

namespace wpe {

class ProfileRegistry final : public StatusProvider {
 public:
  ProfileRegistry(ProfileServices& services, bool memoryStore);

  // Creates (or updates, on reload) the profiles from the config. Returns the profiles that
  // were created and still need restore().
  std::vector<std::shared_ptr<Profile>> apply(const DaemonConfig& config);

  // NotFound naming the config file section to add when the name is unknown.
  Result<std::shared_ptr<Profile>> find(const std::string& name) const;
  std::vector<std::shared_ptr<Profile>> all() const;

  // The credential store's state as last probed (the scheduler probes it).
  void setStoreStatus(StoreStatus status);

  // StatusProvider
  StoreStatusInfo credentialStore() override;
  StoreStatusInfo cache() override;
  void describeProfile(const ProfileConfig& profile, ProfileStatus& out) override;

 private:
  ProfileServices& services_;
  const bool memoryStore_;
  std::string configPath_;
  mutable Mutex mutex_;
  std::map<std::string, std::shared_ptr<Profile>> profiles_ GUARDED_BY(mutex_);
  StoreStatus storeStatus_ GUARDED_BY(mutex_){StoreState::Unavailable, "not probed yet"};
  bool storeProbed_ GUARDED_BY(mutex_) = false;
};

}  // namespace wpe
