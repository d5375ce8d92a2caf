#pragma once
// AuditSlot: one connection's calls not yet written to the audit trail. The connection's
// serving thread adds to it (AuditLog::record); the writer thread takes from it once per
// flush. Its mutex is the connection's own, so serving threads never wait on one another
// to record a call (a shared queue lock cost 40% of the token benchmark's throughput at 8
// clients). A call identical to one of the last few pending (profile, method, path, status)
// is merged into it: count + 1, lastTime moved; a kept-alive client asking 60,000 times a
// second for a token costs one record a flush. Beyond `maxPending` distinct records a call
// is dropped (add() returns false; AuditLog counts it). Thread-safe.

#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "daemon/audit/audit_record.h"

namespace wpe {

class AuditSlot {
 public:
  AuditSlot(PeerIdentity peer, std::size_t maxPending)
      : peer_(std::move(peer)), maxPending_(maxPending) {}

  const PeerIdentity& peer() const { return peer_; }
  bool add(WallTime now, std::string_view profile, std::string_view method, std::string_view path,
           int status);
  // The pending records (peer filled in), oldest first; the slot is empty afterwards.
  std::vector<AuditRecord> take();
  // The connection ended: nothing more will be added. The writer takes what is left once
  // more, then forgets the slot.
  void close();
  bool closed() const;

 private:
  const PeerIdentity peer_;
  const std::size_t maxPending_;
  mutable Mutex mutex_;
  std::vector<AuditRecord> pending_ GUARDED_BY(mutex_);  // peer left empty until take()
  bool closed_ GUARDED_BY(mutex_) = false;
};

}  // namespace wpe
