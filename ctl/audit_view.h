#pragma once
// The human form of `wpectl audit`: one table row per audit entry, oldest first and newest
// last (like a log: the latest calls end up next to the prompt), and a footer line for
// standard error. Pure functions.

#include <string>

#include "common/audit_wire.h"
#include "ctl/table.h"

namespace wpe::ctl {

// Columns TIME, PROFILE, REQUEST (method and the path below /v1/profiles/P), STATUS, CALLS
// (merged identical calls), PID, PROGRAM (the executable, "?" when unknown), UNIT ("-").
Table auditTable(const AuditReply& reply);

// "3 entries, oldest first" plus ", 12 calls not recorded (see wped's log)" when some were
// dropped.
std::string auditFooter(const AuditReply& reply);

}  // namespace wpe::ctl
