#pragma once
// The local API's wire format for GET /v1/audit (docs/local-api.md), defined once for wped and
// wpectl:
//   {"dropped":0,"entries":[{"time":"…Z","last_time":"…Z","count":1,"profile":"default",
//     "method":"GET","path":"/v1/profiles/default/token","status":200,"pid":4242,
//     "uid":1000,"exe":"/usr/bin/curl","unit":"foo.service"}, …]}
// Entries are oldest first. Times are RFC 3339 UTC. Nothing here is secret.
// auditReplyFromJson never throws: an answer it cannot read is Internal.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace wpe {

struct AuditEntry {
  std::string time;      // the first call (RFC 3339 UTC)
  std::string lastTime;  // the last call merged into this entry (== time when count is 1)
  std::int64_t count = 1;
  std::string profile;
  std::string method;
  std::string path;  // the local API path, never a query
  int status = 0;
  std::int64_t pid = 0;
  std::int64_t uid = 0;
  std::string exe;   // "" when unknown
  std::string unit;  // "" when none
};

struct AuditReply {
  std::uint64_t dropped = 0;  // calls not recorded since wped started (queue full, write failed)
  std::vector<AuditEntry> entries;
};

std::string auditReplyToJson(const AuditReply& reply);
Result<AuditReply> auditReplyFromJson(std::string_view body);

}  // namespace wpe
