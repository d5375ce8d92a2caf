#include "tests/sandbox/counters.h"

#include <algorithm>

#include "tests/sandbox/json_text.h"

namespace wpe {
namespace {

std::string mapJson(const std::map<std::string, std::uint64_t>& values) {
  std::string out = "{";
  for (const auto& [key, value] : values) {
    if (out.size() > 1) out += ',';
    out += json::quote(key) + ":" + std::to_string(value);
  }
  return out + "}";
}

}  // namespace

void Counters::recordRequest(const std::string& method, const std::string& path,
                             const std::string& status) {
  std::lock_guard lock(mutex_);
  ++requests_;
  ++byPath_[method + " " + path];
  ++byStatus_[status];
}

void Counters::recordGrant(const std::string& grantType) {
  std::lock_guard lock(mutex_);
  ++grants_[grantType];
}

void Counters::recordRevocation() {
  std::lock_guard lock(mutex_);
  ++revocations_;
}

void Counters::recordRefreshTokensRevoked(std::uint64_t count) {
  std::lock_guard lock(mutex_);
  refreshTokensRevoked_ += count;
}

void Counters::beginRequest() {
  std::lock_guard lock(mutex_);
  maxInFlight_ = std::max(maxInFlight_, ++inFlight_);
}

void Counters::endRequest() {
  std::lock_guard lock(mutex_);
  if (inFlight_ > 0) --inFlight_;
}

void Counters::reset() {
  std::lock_guard lock(mutex_);
  maxInFlight_ = inFlight_;
  requests_ = 0;
  byPath_.clear();
  byStatus_.clear();
  grants_.clear();
  revocations_ = 0;
  refreshTokensRevoked_ = 0;
}

std::string Counters::toJson() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::uint64_t> grants = grants_;
  grants.emplace("authorization_code", 0);
  grants.emplace("refresh_token", 0);
  return "{\"requests\":" + std::to_string(requests_) + ",\"by_path\":" + mapJson(byPath_) +
         ",\"by_status\":" + mapJson(byStatus_) + ",\"grants\":" + mapJson(grants) +
         ",\"revocations\":" + std::to_string(revocations_) +
         ",\"refresh_tokens_revoked\":" + std::to_string(refreshTokensRevoked_) +
         ",\"in_flight\":" + std::to_string(inFlight_) +
         ",\"max_in_flight\":" + std::to_string(maxInFlight_) + "}";
}

}  // namespace wpe
