#include "daemon/profiles/static_credential.h"

#include <utility>

#include "common/credential_text.h"
#include "daemon/auth/basic_credential.h"
#include "daemon/upstream/static_authorizer.h"

namespace wpe {
namespace {

// The remedy for an item an older wped stored without the checks a login makes now.
std::string refusedStored(const std::string& loginHint) {
  return "it was stored by an older wped and is not used; nothing was sent. To replace it, " +
         loginHint;
}

// The token endpoint's view of the credential: its Authorization value, and the value alone
// (after the scheme) as the "access token".
IssuedToken issue(AuthKind kind, const Secret& authorization, const std::string& user,
                  const Secret* password) {
  auto info = std::make_shared<TokenInfo>();
  const std::string& header = authorization.reveal();
  info->accessToken = Secret(header.substr(header.find(' ') + 1));
  info->tokenType = kind == AuthKind::Basic ? "Basic" : "ApiKey";
  info->authorization = authorization;
  if (password != nullptr) {
    info->user = user;
    info->password = *password;
  }
  return info;
}

}  // namespace

Result<StaticCredential> StaticCredential::fromStored(const StoredCredential& credential,
                                                      const std::string& profile,
                                                      const std::string& loginHint) {
  if (credential.kind == AuthKind::ApiKey) {
    if (auto bad = checkCredentialText(credential.value.reveal(), "the stored API key",
                                       refusedStored(loginHint));
        !bad) {
      return bad.error();
    }
    auto authorizer =
        std::make_shared<StaticAuthorizer>(StaticAuthorizer::apiKey(profile, credential.value));
    auto value = authorizer->authorization(std::chrono::seconds(0));
    if (!value) return value.error();
    return StaticCredential(AuthKind::ApiKey, "", authorizer,
                            issue(AuthKind::ApiKey, *value, "", nullptr));
  }
  if (credential.kind == AuthKind::Basic) {
    auto parsed = BasicCredential::fromJson(credential.value);
    if (!parsed) return parsed.error();
    if (auto bad = checkCredentialText(parsed->user, "the stored API user id",
                                       refusedStored(loginHint), CredentialPart::BasicUserId);
        !bad) {
      return bad.error();
    }
    if (auto bad = checkCredentialText(parsed->password.reveal(), "the stored API password",
                                       refusedStored(loginHint));
        !bad) {
      return bad.error();
    }
    auto authorizer = std::make_shared<StaticAuthorizer>(
        StaticAuthorizer::basic(profile, parsed->user, parsed->password));
    auto value = authorizer->authorization(std::chrono::seconds(0));
    if (!value) return value.error();
    IssuedToken token = issue(AuthKind::Basic, *value, parsed->user, &parsed->password);
    return StaticCredential(AuthKind::Basic, std::move(parsed->user), authorizer, std::move(token));
  }
  // An oauth credential is TokenManager's (restore() hands it there, never here).
  return Error(ErrorCode::Internal, "an oauth credential has no static authorizer");
}

}  // namespace wpe
