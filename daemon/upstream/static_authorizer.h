#pragma once
// StaticAuthorizer: the Authorizer for the api_key and basic kinds — a fixed Authorization
// value built once from the keyring secret:
//   api_key → "ApiKey <key>"      basic → "Basic base64(user:password)"
// A 401 means the stored credential is no longer accepted; there is nothing to refresh, so
// afterUnauthorized() answers LoginRequired with the command that fixes it.
// Immutable after construction; thread-safe.

#include <string>

#include "daemon/upstream/authorizer.h"

namespace wpe {

class StaticAuthorizer final : public Authorizer {
 public:
  static StaticAuthorizer apiKey(std::string profile, const Secret& key);
  static StaticAuthorizer basic(std::string profile, const std::string& user,
                                const Secret& password);

  Result<Secret> authorization(std::chrono::seconds minValid) override;
  Result<Secret> afterUnauthorized(const Secret& rejected) override;

 private:
  StaticAuthorizer(Secret value, std::string loginRequiredMessage);

  Secret value_;
  std::string loginRequiredMessage_;
};

}  // namespace wpe
