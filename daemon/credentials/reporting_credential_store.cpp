#include "daemon/credentials/reporting_credential_store.h"

namespace wpe {

Result<std::optional<StoredCredential>> ReportingCredentialStore::load(const std::string& profile) {
  return inner_.load(profile);
}

Status ReportingCredentialStore::save(const std::string& profile,
                                      const StoredCredential& credential) {
  Status saved = inner_.save(profile, credential);
  // Probed rather than assumed "ready": a memory store says "memory", and the probe's detail
  // line is the one status shows anyway.
  if (saved && report_) report_(inner_.probe());
  return saved;
}

Status ReportingCredentialStore::erase(const std::string& profile) { return inner_.erase(profile); }

StoreStatus ReportingCredentialStore::probe() { return inner_.probe(); }

}  // namespace wpe
