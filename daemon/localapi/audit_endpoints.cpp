#include "daemon/localapi/audit_endpoints.h"

#include "common/audit_wire.h"
#include "common/log_escape.h"
#include "common/profile_name.h"
#include "daemon/time/rfc3339.h"

namespace wpe {
namespace {

constexpr std::size_t kDefaultLimit = 1000;
// 100,000: the most the trail keeps.
constexpr std::size_t kMaxLimit = 100000;

Result<std::size_t> limitParam(const ApiRequest& request) {
  std::string text = request.queryParam("limit");
  if (text.empty()) return kDefaultLimit;
  Error bad(ErrorCode::BadRequest,
            "limit must be a whole number from 1 to " + std::to_string(kMaxLimit));
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > kMaxLimit) return bad;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  if (value < 1 || value > kMaxLimit) return bad;
  return value;
}

std::string wall(WallTime t) { return formatRfc3339(t); }

}  // namespace

void AuditEndpoints::registerRoutes(Router& router) {
  router.add("GET", "/v1/audit", [this](ApiRequest& r) { return audit(r); });
}

ApiResponse AuditEndpoints::audit(ApiRequest& request) {
  AuditQuery query;
  query.profile = request.queryParam("profile");
  if (!query.profile.empty() && !isValidProfileName(query.profile)) {
    return ApiResponse::error(
        ErrorCode::BadRequest,
        "\"" + escapeForLog(query.profile, 80) + "\" is not a profile name ([A-Za-z0-9_-]{1,64})");
  }
  if (std::string since = request.queryParam("since"); !since.empty()) {
    query.since = parseRfc3339(since);
    if (!query.since) {
      return ApiResponse::error(ErrorCode::BadRequest,
                                "since must be an RFC 3339 time, e.g. 2026-11-28T09:00:00Z");
    }
  }
  auto limit = limitParam(request);
  if (!limit) return ApiResponse::error(limit.error());
  query.limit = *limit;

  auto page = log_.read(query);
  if (!page) return ApiResponse::error(page.error());
  AuditReply reply;
  reply.dropped = page->dropped;
  reply.entries.reserve(page->records.size());
  for (const auto& r : page->records) {
    reply.entries.push_back({wall(r.time), wall(r.lastTime), r.count, r.profile, r.method, r.path,
                             r.status, r.peer.pid, r.peer.uid, r.peer.exe, r.peer.unit});
  }
  return ApiResponse::json(200, auditReplyToJson(reply));
}

}  // namespace wpe
