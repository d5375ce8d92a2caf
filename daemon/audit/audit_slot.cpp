#include "daemon/audit/audit_slot.h"

namespace wpe {
namespace {

// 4: a client alternating between a token and a couple of API paths still merges.
constexpr std::size_t kMergeWindow = 4;

}  // namespace

bool AuditSlot::add(WallTime now, std::string_view profile, std::string_view method,
                    std::string_view path, int status) {
  LockGuard lock(mutex_);
  std::size_t n = pending_.size();
  for (std::size_t i = n; i > 0 && i + kMergeWindow > n; --i) {
    AuditRecord& r = pending_[i - 1];
    if (r.status == status && r.path == path && r.method == method && r.profile == profile) {
      r.count += 1;
      r.lastTime = now;
      return true;
    }
  }
  if (n >= maxPending_) return false;
  AuditRecord r;
  r.time = r.lastTime = now;
  r.profile = profile;
  r.method = method;
  r.path = path;
  r.status = status;
  pending_.push_back(std::move(r));
  return true;
}

std::vector<AuditRecord> AuditSlot::take() {
  std::vector<AuditRecord> out;
  {
    LockGuard lock(mutex_);
    out.swap(pending_);
  }
  for (auto& r : out) r.peer = peer_;
  return out;
}

void AuditSlot::close() {
  LockGuard lock(mutex_);
  closed_ = true;
}

bool AuditSlot::closed() const {
  LockGuard lock(mutex_);
  return closed_;
}

}  // namespace wpe
