#include "tests/sandbox/token_store.h"

namespace wpe {
namespace {
// RFC 6749 §4.1.2 recommends at most 10 minutes; 60 s is plenty for a scripted browser.
constexpr std::chrono::seconds kCodeLifetime{60};
}  // namespace

TokenStore::TokenStore(const SecretGenerator& generator, Counters& counters,
                       std::chrono::seconds accessTtl)
    : generator_(generator), counters_(counters), accessTtl_(accessTtl) {}

std::string TokenStore::issueCode(CodeRequest request) {
  std::string code = generator_.canary("ac");
  std::lock_guard lock(mutex_);
  codes_[code] = Code{std::move(request), Clock::now() + kCodeLifetime, false, std::nullopt};
  return code;
}

Result<TokenStore::CodeRequest> TokenStore::redeemCode(const std::string& code) {
  std::lock_guard lock(mutex_);
  auto it = codes_.find(code);
  if (it == codes_.end()) return Error(ErrorCode::BadRequest, "unknown authorization code");
  Code& entry = it->second;
  if (entry.used) {
    if (entry.grant) revokeGrant(*entry.grant);
    return Error(ErrorCode::BadRequest, "authorization code already used");
  }
  entry.used = true;
  if (Clock::now() >= entry.expires)
    return Error(ErrorCode::BadRequest, "authorization code expired");
  return entry.request;
}

TokenStore::TokenPair TokenStore::createGrant(const std::string& code, const CodeRequest& request) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = nextGrant_++;
  grants_[id] = Grant{request.clientId, request.scope, "", false};
  auto it = codes_.find(code);
  if (it != codes_.end()) it->second.grant = id;
  return issuePair(id);
}

TokenStore::TokenPair TokenStore::issuePair(std::uint64_t grantId) {
  Grant& grant = grants_.at(grantId);
  TokenPair pair{generator_.canary("at", 24), generator_.canary("rt", 24), grant.scope};
  access_[pair.accessToken] = AccessToken{grantId, Clock::now() + accessTtl_, false};
  refresh_[pair.refreshToken] = grantId;
  grant.liveRefreshToken = pair.refreshToken;
  return pair;
}

void TokenStore::revokeGrant(std::uint64_t grantId) {
  Grant& grant = grants_.at(grantId);
  if (grant.revoked) return;
  grant.revoked = true;
  if (!grant.liveRefreshToken.empty()) counters_.recordRefreshTokensRevoked(1);
  grant.liveRefreshToken.clear();
  for (auto& [token, access] : access_)
    if (access.grant == grantId) access.revoked = true;
}

Result<TokenStore::TokenPair> TokenStore::rotate(const std::string& refreshToken,
                                                 const std::string& clientId) {
  std::lock_guard lock(mutex_);
  auto it = refresh_.find(refreshToken);
  if (it == refresh_.end()) return Error(ErrorCode::BadRequest, "unknown refresh token");
  Grant& grant = grants_.at(it->second);
  if (grant.clientId != clientId)
    return Error(ErrorCode::BadRequest, "refresh token was issued to another client");
  if (grant.revoked) return Error(ErrorCode::BadRequest, "refresh token revoked");
  if (grant.liveRefreshToken != refreshToken) {
    revokeGrant(it->second);
    return Error(ErrorCode::BadRequest, "refresh token already used; the grant is revoked");
  }
  return issuePair(it->second);
}

TokenStore::RevokeOutcome TokenStore::revoke(const std::string& token,
                                             const std::string& clientId) {
  std::lock_guard lock(mutex_);
  if (auto it = refresh_.find(token); it != refresh_.end()) {
    if (grants_.at(it->second).clientId != clientId) return RevokeOutcome::OtherClient;
    revokeGrant(it->second);
    return RevokeOutcome::Revoked;
  }
  if (auto it = access_.find(token); it != access_.end()) {
    if (grants_.at(it->second.grant).clientId != clientId) return RevokeOutcome::OtherClient;
    it->second.revoked = true;
    return RevokeOutcome::Revoked;
  }
  return RevokeOutcome::Unknown;
}

bool TokenStore::accessTokenValid(const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto it = access_.find(token);
  return it != access_.end() && !it->second.revoked && Clock::now() < it->second.expires;
}

bool TokenStore::active(const std::string& token) const {
  std::lock_guard lock(mutex_);
  if (auto it = access_.find(token); it != access_.end())
    return !it->second.revoked && Clock::now() < it->second.expires;
  if (auto it = refresh_.find(token); it != refresh_.end()) {
    const Grant& grant = grants_.at(it->second);
    return !grant.revoked && grant.liveRefreshToken == token;
  }
  return false;
}

void TokenStore::expireAllAccessTokens() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto& [token, access] : access_)
    if (access.expires > now) access.expires = now;
}

void TokenStore::revokeAllGrants() {
  std::lock_guard lock(mutex_);
  for (auto& [id, grant] : grants_) revokeGrant(id);
}

TokenStore::Stats TokenStore::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  const auto now = Clock::now();
  for (const auto& [token, access] : access_) {
    if (access.revoked)
      ++stats.revokedAccessTokens;
    else if (now >= access.expires)
      ++stats.expiredAccessTokens;
    else
      ++stats.validAccessTokens;
  }
  for (const auto& [id, grant] : grants_) {
    ++stats.grants;
    if (grant.revoked) ++stats.revokedGrants;
    if (!grant.revoked && !grant.liveRefreshToken.empty()) ++stats.activeRefreshTokens;
  }
  return stats;
}

}  // namespace wpe
