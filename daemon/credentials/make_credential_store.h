#pragma once
// makeCredentialStore: builds the store `credential_store` asks for and starts it.
//   Keyring → SecretServiceStore (worker thread started; calls bounded by `deadline`)
//   Memory  → MemoryStore
// Never fails: a keyring store whose thread could not start answers every call with
// KeyringUnavailable (and the failure is logged). `logger` must outlive the store.

#include <chrono>
#include <memory>

#include "daemon/config/daemon_config.h"
#include "daemon/credentials/credential_store.h"

namespace Poco {
class Logger;
}

namespace wpe {

std::unique_ptr<CredentialStore> makeCredentialStore(
    CredentialStoreKind kind, Poco::Logger& logger,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(5000));

}  // namespace wpe
