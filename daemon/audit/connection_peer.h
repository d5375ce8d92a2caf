#pragma once
// ConnectionPeer: the program on the other end of one local-API connection. pid and uid are
// SO_PEERCRED's, read once at accept by ApiConnection; `identity` (executable, systemd unit)
// is filled at most once per connection, by the first handler that needs it (the audit
// trail), so /proc is read once per connection and never for connections that only ask for
// status. Owned by the connection and used only on its thread: no locking.

#include <memory>

#include "daemon/audit/peer_identity.h"

namespace wpe {

struct ConnectionPeer {
  int pid = 0;
  unsigned uid = 0;
  std::shared_ptr<const PeerIdentity> identity;  // null until resolved
};

}  // namespace wpe
