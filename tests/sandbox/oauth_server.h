#pragma once
// OAuthServer: the sandbox's OAuth 2.0 authorization server endpoints.
//  GET  /oauth/authorize  authorization code + PKCE S256 (plain refused); approves the sandbox
//                         user at once: 302 to redirect_uri?code=…&state=…. A bad client_id or
//                         redirect_uri (must be http on 127.0.0.1, [::1] or localhost, any
//                         port) gets a 400 page and no redirect (RFC 6749 §4.1.2.1).
//  POST /oauth/token      authorization_code and refresh_token grants; the confidential client
//                         authenticates with HTTP Basic (RFC 6749 §2.3.1) or client_secret in
//                         the body, the public client with its client_id alone. Errors per §5.2.
//  POST /oauth/revoke     RFC 7009.
// Thread-safe. Holds references to the TokenStore and Counters, which must outlive it.

#include <mutex>
#include <optional>
#include <string>

#include "tests/sandbox/counters.h"
#include "tests/sandbox/reply.h"
#include "tests/sandbox/sandbox_credentials.h"
#include "tests/sandbox/sandbox_request.h"
#include "tests/sandbox/token_store.h"

namespace wpe {

class OAuthServer {
 public:
  OAuthServer(const SandboxCredentials& credentials, TokenStore& tokens, Counters& counters);

  Reply authorize(const SandboxRequest& request);
  Reply token(const SandboxRequest& request);
  Reply revoke(const SandboxRequest& request);

  // With a description: the next authorize request with a valid client and redirect answers
  // error=access_denied with it. nullopt cancels a pending denial.
  void denyNextAuthorize(std::optional<std::string> errorDescription);

  // base64url(SHA-256(verifier)) without padding (RFC 7636 §4.2).
  static std::string s256(const std::string& verifier);

 private:
  // The authenticated client id, or the error reply to send.
  Result<std::string> authenticateClient(const SandboxRequest& request, Reply& failure) const;
  Reply authorizationCodeGrant(const SandboxRequest& request, const std::string& clientId);
  Reply refreshTokenGrant(const SandboxRequest& request, const std::string& clientId);
  Reply tokenResponse(const TokenStore::TokenPair& pair) const;
  bool knownClient(const std::string& clientId) const;

  const SandboxCredentials& credentials_;
  TokenStore& tokens_;
  Counters& counters_;
  std::mutex mutex_;
  std::optional<std::string> denyNext_;  // error_description for the next authorize
};

}  // namespace wpe
