#pragma once
// PeerIdentity: which local program is on the other end of a local-API connection, as the
// audit trail records it. pid and uid come from SO_PEERCRED (the kernel's, fixed at connect);
// exe and unit are read from /proc once per connection (see ProcPeerResolver), so a peer that
// exec()s another program on the same connection is still recorded as the first one.
// Never holds a secret. A plain value.

#include <string>

namespace wpe {

struct PeerIdentity {
  int pid = 0;  // 0: unknown (e.g. a peer in another pid namespace)
  unsigned uid = 0;
  std::string exe;   // /proc/PID/exe, "" when it could not be read
  std::string unit;  // the systemd unit (…/foo.service or …/session-3.scope), "" when none
};

}  // namespace wpe
