#include "ctl/audit_view.h"

namespace wpe::ctl {
namespace {

// "/v1/profiles/work/api/sites" → "/api/sites": the profile has a column of its own.
std::string shortPath(const AuditEntry& e) {
  const std::string prefix = "/v1/profiles/" + e.profile;
  if (e.path.rfind(prefix + "/", 0) == 0) return e.path.substr(prefix.size());
  return e.path;
}

}  // namespace

Table auditTable(const AuditReply& reply) {
  Table table({"TIME", "PROFILE", "REQUEST", "STATUS", "CALLS", "PID", "PROGRAM", "UNIT"});
  for (const auto& e : reply.entries) {
    table.addRow({e.time, e.profile, e.method + " " + shortPath(e), std::to_string(e.status),
                  std::to_string(e.count), std::to_string(e.pid), e.exe.empty() ? "?" : e.exe,
                  e.unit.empty() ? "-" : e.unit});
  }
  return table;
}

std::string auditFooter(const AuditReply& reply) {
  std::size_t n = reply.entries.size();
  std::string out = std::to_string(n) + (n == 1 ? " entry" : " entries") + ", newest last";
  if (reply.dropped > 0) {
    out += ", " + std::to_string(reply.dropped) +
           " calls not recorded since wped started (see its log)";
  }
  return out;
}

}  // namespace wpe::ctl
