#pragma once
// ReportingCredentialStore: a CredentialStore that passes every call through to another and,
// after a successful save(), probes it and reports the state. `wpectl status` shows the
// store state the scheduler last probed (every ≤ 30 s); a login that just stored its
// credential proves the store works, so status must say so at once rather than still show
// the "locked"/"unavailable" of the last probe (issue 11 item 7).
// Borrows `inner` (it must outlive this). Thread-safe as far as `inner` and `report` are;
// `report` is called on the saving thread, after the save, with no lock held.

#include <functional>

#include "daemon/credentials/credential_store.h"

namespace wpe {

class ReportingCredentialStore final : public CredentialStore {
 public:
  using Report = std::function<void(const StoreStatus&)>;

  ReportingCredentialStore(CredentialStore& inner, Report report)
      : inner_(inner), report_(std::move(report)) {}

  Result<std::optional<StoredCredential>> load(const std::string& profile) override;
  Status save(const std::string& profile, const StoredCredential& credential) override;
  Status erase(const std::string& profile) override;
  StoreStatus probe() override;

 private:
  CredentialStore& inner_;
  const Report report_;
};

}  // namespace wpe
