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
  // Around each counted request, from its arrival to its answer sent (the latency included):
  // how many are in flight now, and the most at once (for the sync benchmark's budget check).
  void beginRequest();
  void endRequest();
  void reset();
  // {"requests","by_path","by_status","grants","revocations","refresh_tokens_revoked",
  //  "in_flight","max_in_flight"}
  std::string toJson() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t requests_ = 0;
  std::map<std::string, std::uint64_t> byPath_, byStatus_, grants_;
  std::uint64_t revocations_ = 0;
  std::uint64_t refreshTokensRevoked_ = 0;
  std::uint64_t inFlight_ = 0;
  std::uint64_t maxInFlight_ = 0;  // since start or reset(); reset() keeps those in flight
};

}  // namespace wpe
