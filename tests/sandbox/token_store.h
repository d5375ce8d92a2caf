#pragma once
// TokenStore: the OAuth server's state — authorization codes, grants and the access and
// refresh tokens issued under them. Every issued value is a canary (SecretGenerator).
//  - A code lives 60 s and is single use; presenting a used code again revokes the grant it
//    produced (RFC 6749 §4.1.2).
//  - Refresh rotates: each use returns a new pair and kills the used refresh token; presenting
//    a dead refresh token revokes the whole grant (all its access and refresh tokens).
//  - Access tokens expire tokenTtl after issue, on the monotonic clock.
// Thread-safe (one mutex). Reports revocations to Counters, which must outlive it.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "tests/sandbox/counters.h"
#include "tests/sandbox/secret_generator.h"

namespace wpe {

class TokenStore {
 public:
  using Clock = std::chrono::steady_clock;

  struct CodeRequest {
    std::string clientId, redirectUri, codeChallenge, scope;
  };
  struct TokenPair {
    std::string accessToken, refreshToken, scope;
  };
  enum class RevokeOutcome { Unknown, OtherClient, Revoked };
  struct Stats {
    std::size_t validAccessTokens = 0, activeRefreshTokens = 0, grants = 0, revokedGrants = 0,
                expiredAccessTokens = 0, revokedAccessTokens = 0;
  };

  TokenStore(const SecretGenerator& generator, Counters& counters, std::chrono::seconds accessTtl);

  std::string issueCode(CodeRequest request);
  // Consumes the code. Error (message for error_description) if unknown, expired or used.
  Result<CodeRequest> redeemCode(const std::string& code);
  // A new grant for a redeemed code, with its first token pair.
  TokenPair createGrant(const std::string& code, const CodeRequest& request);
  // Rotation. Error if the token is unknown, issued to another client, or dead (then the
  // grant is revoked as a replay).
  Result<TokenPair> rotate(const std::string& refreshToken, const std::string& clientId);
  // RFC 7009: a refresh token revokes its grant; an access token only itself.
  RevokeOutcome revoke(const std::string& token, const std::string& clientId);

  bool accessTokenValid(const std::string& token) const;
  bool active(const std::string& token) const;  // access or refresh token still usable
  void expireAllAccessTokens();
  void revokeAllGrants();
  Stats stats() const;
  std::chrono::seconds accessTtl() const { return accessTtl_; }

 private:
  struct Code {
    CodeRequest request;
    Clock::time_point expires;
    bool used = false;
    std::optional<std::uint64_t> grant;
  };
  struct Grant {
    std::string clientId, scope;
    std::string liveRefreshToken;
    bool revoked = false;
  };
  struct AccessToken {
    std::uint64_t grant;
    Clock::time_point expires;
    bool revoked = false;
  };

  TokenPair issuePair(std::uint64_t grantId);  // mutex held
  void revokeGrant(std::uint64_t grantId);     // mutex held

  const SecretGenerator& generator_;
  Counters& counters_;
  const std::chrono::seconds accessTtl_;
  mutable std::mutex mutex_;
  std::uint64_t nextGrant_ = 1;
  std::unordered_map<std::string, Code> codes_;
  std::unordered_map<std::uint64_t, Grant> grants_;
  std::unordered_map<std::string, AccessToken> access_;
  std::unordered_map<std::string, std::uint64_t> refresh_;  // every refresh token ever issued
};

}  // namespace wpe
