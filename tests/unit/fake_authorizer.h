#pragma once
// An Authorizer for sync tests: hands out "Bearer <generation>" and, on afterUnauthorized,
// moves to the next generation (like an OAuth refresh) or answers LoginRequired.

#include <atomic>
#include <string>

#include "daemon/upstream/authorizer.h"

namespace wpe::testing {

class FakeAuthorizer final : public Authorizer {
 public:
  explicit FakeAuthorizer(bool canRefresh = true) : canRefresh_(canRefresh) {}
  Result<Secret> authorization(std::chrono::seconds) override {
    return Secret("Bearer token-" + std::to_string(generation_.load()));
  }
  Result<Secret> afterUnauthorized(const Secret&) override {
    ++unauthorizedCalls;
    if (!canRefresh_) return Error(ErrorCode::LoginRequired, "log in again");
    ++generation_;
    return Secret("Bearer token-" + std::to_string(generation_.load()));
  }
  std::atomic<int> unauthorizedCalls{0};

 private:
  bool canRefresh_;
  std::atomic<int> generation_{1};
};

}  // namespace wpe::testing
