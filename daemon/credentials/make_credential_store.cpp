#include "daemon/credentials/make_credential_store.h"

#include <Poco/Logger.h>

#include "daemon/credentials/memory_store.h"
#include "daemon/credentials/secret_service_store.h"

namespace wpe {

std::unique_ptr<CredentialStore> makeCredentialStore(CredentialStoreKind kind, Poco::Logger& logger,
                                                     std::chrono::milliseconds deadline) {
  if (kind == CredentialStoreKind::Memory) {
    logger.warning(std::string("credential store: ") + MemoryStore::kDetail);
    return std::make_unique<MemoryStore>();
  }
  auto store = std::make_unique<SecretServiceStore>(logger, deadline);
  if (Status started = store->start(); !started) {
    logger.error("credential store: " + started.error().message);
  }
  return store;
}

}  // namespace wpe
