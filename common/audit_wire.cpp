#include "common/audit_wire.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "common/wire.h"

namespace wpe {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string text(const Object::Ptr& o, const char* key) {
  if (!o->has(key) || o->isNull(key)) return {};
  return o->getValue<std::string>(key);
}

std::int64_t number(const Object::Ptr& o, const char* key) {
  if (!o->has(key) || o->isNull(key)) return 0;
  return o->getValue<std::int64_t>(key);
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
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(std::string(body)).extract<Object::Ptr>();
    if (!root) throw Poco::JSON::JSONException("not an object");
    AuditReply reply;
    reply.dropped = static_cast<std::uint64_t>(number(root, "dropped"));
    auto entries = root->getArray("entries");
    if (!entries) throw Poco::JSON::JSONException("no entries");
    for (std::size_t i = 0; i < entries->size(); ++i) {
      auto o = entries->getObject(static_cast<unsigned>(i));
      if (!o) throw Poco::JSON::JSONException("entry is not an object");
      AuditEntry e;
      e.time = text(o, "time");
      e.lastTime = text(o, "last_time");
      e.count = number(o, "count");
      e.profile = text(o, "profile");
      e.method = text(o, "method");
      e.path = text(o, "path");
      e.status = static_cast<int>(number(o, "status"));
      e.pid = number(o, "pid");
      e.uid = number(o, "uid");
      e.exe = text(o, "exe");
      e.unit = text(o, "unit");
      reply.entries.push_back(std::move(e));
    }
    return reply;
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's audit answer is not the expected JSON document");
  }
}

}  // namespace wpe
