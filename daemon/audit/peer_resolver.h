#pragma once
// PeerResolver: turns a connection's SO_PEERCRED (pid, uid) into a PeerIdentity. The
// interface lets the audit trail be tested without /proc; ProcPeerResolver is the real one.
// Implementations are thread-safe and never fail: what cannot be read is left empty.

#include "daemon/audit/peer_identity.h"

namespace wpe {

class PeerResolver {
 public:
  virtual ~PeerResolver() = default;
  virtual PeerIdentity resolve(int pid, unsigned uid) const = 0;
};

}  // namespace wpe
