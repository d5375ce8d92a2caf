#include "daemon/upstream/rejection_watcher.h"

namespace wpe {

Result<Secret> RejectionWatcher::afterUnauthorized(const Secret& rejected) {
  auto result = inner_->afterUnauthorized(rejected);
  if (!result && result.error().code == ErrorCode::LoginRequired) onRejected_();
  return result;
}

}  // namespace wpe
