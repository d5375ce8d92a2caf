#include "daemon/credentials/memory_store.h"

namespace wpe {

Result<std::optional<StoredCredential>> MemoryStore::load(const std::string& profile) {
  LockGuard lock(mutex_);
  auto it = items_.find(profile);
  if (it == items_.end()) return std::optional<StoredCredential>();
  return std::optional<StoredCredential>(it->second);
}

Status MemoryStore::save(const std::string& profile, const StoredCredential& credential) {
  LockGuard lock(mutex_);
  items_[profile] = credential;  // replaces any item of another kind: one item per profile
  return {};
}

Status MemoryStore::erase(const std::string& profile) {
  LockGuard lock(mutex_);
  items_.erase(profile);
  return {};
}

StoreStatus MemoryStore::probe() { return {StoreState::Memory, kDetail}; }

}  // namespace wpe
