#pragma once
// ProcPeerResolver: PeerResolver reading /proc — the executable from readlink(/proc/PID/exe)
// and the systemd unit from /proc/PID/cgroup (the last path component ending in ".service"
// or ".scope", e.g. "foo.service" for
// 0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service). Costs a readlink
// and a small read (~10–20 µs): callers resolve once per connection, not per request.
// Stateless and thread-safe.

#include <string>
#include <string_view>

#include "daemon/audit/peer_resolver.h"

namespace wpe {

class ProcPeerResolver final : public PeerResolver {
 public:
  // `procRoot`: "/proc", or a directory laid out like it (tests).
  explicit ProcPeerResolver(std::string procRoot = "/proc") : procRoot_(std::move(procRoot)) {}
  PeerIdentity resolve(int pid, unsigned uid) const override;

  // The unit named in the text of /proc/PID/cgroup (cgroup v2 "0::" line, else v1
  // "name=systemd"), or "" when it names none.
  static std::string unitFromCgroup(std::string_view cgroupText);

 private:
  std::string procRoot_;
};

}  // namespace wpe
