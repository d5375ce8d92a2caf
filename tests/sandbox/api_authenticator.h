#pragma once
// ApiAuthenticator: checks the Authorization header of a /v1 request against the sandbox's
// credentials — `ApiKey <key>`, `Basic base64(user:password)` or `Bearer <access token>`.
// On failure returns the 401 to send: {"message":"Bad Credentials"}, plus
// `WWW-Authenticate: Bearer error="invalid_token"` when a bearer token is unknown, expired or
// revoked. Thread-safe; references must outlive it.

#include <optional>

#include "tests/sandbox/reply.h"
#include "tests/sandbox/sandbox_credentials.h"
#include "tests/sandbox/sandbox_request.h"
#include "tests/sandbox/token_store.h"

namespace wpe {

class ApiAuthenticator {
 public:
  ApiAuthenticator(const SandboxCredentials& credentials, const TokenStore& tokens)
      : credentials_(credentials), tokens_(tokens) {}

  // nullopt when the request is authenticated.
  std::optional<Reply> check(const SandboxRequest& request) const;

 private:
  const SandboxCredentials& credentials_;
  const TokenStore& tokens_;
};

}  // namespace wpe
