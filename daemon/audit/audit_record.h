#pragma once
// AuditRecord: one row of the local audit trail — who (the peer's pid, uid, executable and
// systemd unit) asked wped for which profile's credential (a token request or a passthrough
// call), the local-API method and path (never the query: it may carry secrets), wped's
// answer status, and when. Identical calls of one connection within one flush (≤ 1 s) are
// one record with `count` > 1 and `time` … `lastTime` spanning them, so a client making
// 60,000 requests a second costs a row per second, not 60,000. Never holds a secret.

#include <cstdint>
#include <string>

#include "daemon/audit/peer_identity.h"
#include "daemon/time/clock.h"

namespace wpe {

struct AuditRecord {
  std::int64_t id = 0;  // assigned by the store; 0 before
  WallTime time;        // the first call
  WallTime lastTime;    // the last call (== time when count is 1)
  std::int64_t count = 1;
  std::string profile;
  std::string method;
  std::string path;  // the local API path, without the query
  int status = 0;
  PeerIdentity peer;
};

}  // namespace wpe
