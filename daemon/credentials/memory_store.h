#pragma once
// MemoryStore: credential_store = memory. Secrets live in this process's RAM only and are
// lost when wped stops; probe() says so, so `wpectl status` never hides it. Nothing is
// written anywhere. Thread-safe; every call returns at once and never fails.

#include <map>

#include "common/mutex.h"
#include "daemon/credentials/credential_store.h"

namespace wpe {

class MemoryStore final : public CredentialStore {
 public:
  static constexpr const char* kDetail =
      "secrets are kept in memory only and are lost when wped stops (credential_store = memory)";

  Result<std::optional<StoredCredential>> load(const std::string& profile) override;
  Status save(const std::string& profile, const StoredCredential& credential) override;
  Status erase(const std::string& profile) override;
  StoreStatus probe() override;

 private:
  Mutex mutex_;
  std::map<std::string, StoredCredential> items_ GUARDED_BY(mutex_);  // one item per profile
};

}  // namespace wpe
