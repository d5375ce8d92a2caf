#pragma once
// AuditEndpoints: the local audit trail on the local API (docs/local-api.md).
//   GET /v1/audit[?profile=P][&since=RFC3339][&limit=N]
//     → 200 {"dropped":…,"entries":[…]} (common/audit_wire.h), oldest first, the newest N
//       (default 1000, at most 100000); 400 for a bad parameter; 503 `unavailable` when the
//       trail cannot be kept (no cache file).
// Borrows the AuditLog, which must outlive the router. Thread-safe.

#include "daemon/audit/audit_log.h"
#include "daemon/localapi/router.h"

namespace wpe {

class AuditEndpoints {
 public:
  explicit AuditEndpoints(AuditLog& log) : log_(log) {}
  void registerRoutes(Router& router);

  ApiResponse audit(ApiRequest& request);

 private:
  AuditLog& log_;
};

}  // namespace wpe
