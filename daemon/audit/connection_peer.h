#pragma once
// ConnectionPeer: the program on the other end of one local-API connection. pid and uid are
// SO_PEERCRED's, read once at accept by ApiConnection. `audit` is created by the audit trail
// on the connection's first audited call — that is when /proc is read for the executable and
// unit, once per connection, never for connections that only ask for status — and holds the
// connection's calls until the writer takes them. Owned by the connection and used only on
// its thread (the slot itself is thread-safe); its end closes the slot.

#include <memory>

#include "daemon/audit/audit_slot.h"

namespace wpe {

struct ConnectionPeer {
  int pid = 0;
  unsigned uid = 0;
  std::shared_ptr<AuditSlot> audit;  // null until the first audited call

  ~ConnectionPeer() {
    if (audit) audit->close();
  }
};

}  // namespace wpe
