#pragma once
// Counters: what the sandbox has seen since start or the last reset, for
// GET /_sandbox/counters. Requests under /_sandbox/ are not counted. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace wpe {

class Counters {
 public:
  // key "GET /v1/sites" (no query); status "200", or "dropped" for a dropped connection.
  void recordRequest(const std::string& method, const std::string& path, const std::string& status);
  void recordGrant(const std::string& grantType);  // a successful token response
  void recordRevocation();                         // a successful /oauth/revoke call
  void recordRefreshTokensRevoked(std::uint64_t count);
  void reset();
  // {"requests","by_path","by_status","grants","revocations","refresh_tokens_revoked"}
  std::string toJson() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t requests_ = 0;
  std::map<std::string, std::uint64_t> byPath_, byStatus_, grants_;
  std::uint64_t revocations_ = 0;
  std::uint64_t refreshTokensRevoked_ = 0;
};

}  // namespace wpe
