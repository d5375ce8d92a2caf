#pragma once
// RejectionWatcher: an Authorizer that passes everything to the one it wraps, and calls
// `onRejected` when the wrapped one answers a 401 with LoginRequired — for the static kinds
// (api_key, basic) a revoked key or a changed password — so the profile's state becomes
// login_required instead of only the request at hand failing. Other failures of
// afterUnauthorized() (a keyring that is locked, an unreachable token endpoint) say nothing
// about the credential and are only passed on. Thread-safe if `inner` and `onRejected` are.

#include <functional>
#include <memory>

#include "daemon/upstream/authorizer.h"

namespace wpe {

class RejectionWatcher final : public Authorizer {
 public:
  RejectionWatcher(std::shared_ptr<Authorizer> inner, std::function<void()> onRejected)
      : inner_(std::move(inner)), onRejected_(std::move(onRejected)) {}

  Result<Secret> authorization(std::chrono::seconds minValid) override {
    return inner_->authorization(minValid);
  }
  Result<Secret> afterUnauthorized(const Secret& rejected) override;

 private:
  std::shared_ptr<Authorizer> inner_;
  std::function<void()> onRejected_;
};

}  // namespace wpe
