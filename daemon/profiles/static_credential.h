#pragma once
// StaticCredential: an api_key or basic credential made ready to use — its text checked
// (common/credential_text.h), the Authorizer that signs requests with it (StaticAuthorizer)
// and the IssuedToken the token endpoint hands out for it. Made once per login or restore;
// what does not expire needs nothing else. Immutable; thread-safe.

#include <memory>
#include <string>

#include "common/auth_kind.h"
#include "common/result.h"
#include "daemon/auth/token_info.h"
#include "daemon/credentials/credential_store.h"
#include "daemon/upstream/authorizer.h"

namespace wpe {

class StaticCredential {
 public:
  // From the keyring's item (or a login's, about to be stored). BadRequest when its text is
  // refused — an older wped stored it unchecked; the message ends with `loginHint`, what to
  // run, and never quotes the secret; Internal when a basic item is unreadable or the kind
  // is oauth (TokenManager's, never this).
  static Result<StaticCredential> fromStored(const StoredCredential& credential,
                                             const std::string& profile,
                                             const std::string& loginHint);

  AuthKind kind() const { return kind_; }
  const std::string& user() const { return user_; }  // basic: the API user id; else empty
  const std::shared_ptr<Authorizer>& authorizer() const { return authorizer_; }
  const IssuedToken& token() const { return token_; }

 private:
  StaticCredential(AuthKind kind, std::string user, std::shared_ptr<Authorizer> authorizer,
                   IssuedToken token)
      : kind_(kind),
        user_(std::move(user)),
        authorizer_(std::move(authorizer)),
        token_(std::move(token)) {}

  AuthKind kind_;
  std::string user_;
  std::shared_ptr<Authorizer> authorizer_;
  IssuedToken token_;
};

}  // namespace wpe
