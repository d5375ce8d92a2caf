#include "common/audit_wire.h"

#include <optional>

#include "common/json_value.h"
#include "common/wire.h"

namespace wpe {
namespace {

std::string text(const JsonValue& o, std::string_view key) { return o[key].text(); }

// 0 when absent or null; nullopt when the member is there but not an integer.
std::optional<std::int64_t> number(const JsonValue& o, std::string_view key) {
  const JsonValue& value = o[key];
  if (value.isNull()) return 0;
  return value.integer();
}

}  // namespace

std::string auditReplyToJson(const AuditReply& reply) {
  // Built by hand: a reply may hold 100,000 entries, and POCO's objects cost ~10x more.
  std::string out = "{\"dropped\":" + std::to_string(reply.dropped) + ",\"entries\":[";
  bool first = true;
  for (const auto& e : reply.entries) {
    out += first ? "{" : ",{";
    first = false;
    out += "\"time\":" + jsonQuote(e.time) + ",\"last_time\":" + jsonQuote(e.lastTime) +
           ",\"count\":" + std::to_string(e.count) + ",\"profile\":" + jsonQuote(e.profile) +
           ",\"method\":" + jsonQuote(e.method) + ",\"path\":" + jsonQuote(e.path) +
           ",\"status\":" + std::to_string(e.status) + ",\"pid\":" + std::to_string(e.pid) +
           ",\"uid\":" + std::to_string(e.uid) + ",\"exe\":" + jsonQuote(e.exe) +
           ",\"unit\":" + jsonQuote(e.unit) + "}";
  }
  return out + "]}";
}

Result<AuditReply> auditReplyFromJson(std::string_view body) {
  const Error bad(ErrorCode::Internal, "wped's audit answer is not the expected JSON document");
  auto root = JsonValue::parse(body);
  if (!root || !root->isObject() || !(*root)["entries"].isArray()) return bad;
  AuditReply reply;
  auto dropped = number(*root, "dropped");
  if (!dropped) return bad;
  reply.dropped = static_cast<std::uint64_t>(*dropped);
  for (const auto& o : (*root)["entries"].items()) {
    if (!o.isObject()) return bad;
    auto count = number(o, "count");
    auto status = number(o, "status");
    auto pid = number(o, "pid");
    auto uid = number(o, "uid");
    if (!count || !status || !pid || !uid) return bad;
    AuditEntry e;
    e.time = text(o, "time");
    e.lastTime = text(o, "last_time");
    e.count = *count;
    e.profile = text(o, "profile");
    e.method = text(o, "method");
    e.path = text(o, "path");
    e.status = static_cast<int>(*status);
    e.pid = *pid;
    e.uid = *uid;
    e.exe = text(o, "exe");
    e.unit = text(o, "unit");
    reply.entries.push_back(std::move(e));
  }
  return reply;
}

}  // namespace wpe
