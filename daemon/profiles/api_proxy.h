#pragma once
// ApiProxy: the authenticating passthrough (docs/architecture.md "Flows"). Forwards a local request
// for /v1/profiles/{p}/api/{path…} to {api_url}/{path…} with the profile's Authorization:
// method, query, body and content type as sent; the upstream status, body, Content-Type and
// Retry-After come back unchanged. A 401 from the API gets one refresh (OAuth) and one retry.
// Transient failures of idempotent requests are retried by the UpstreamClient's policy.
// A successful write (POST/PUT/PATCH/DELETE) under sites/ or installs/ marks that cached list
// stale and asks for a resync. Identical concurrent GETs (same profile, path, query and
// Accept, no body) share one upstream request through the RequestCoalescer, when one is
// given. The profile's RateLimitGate (in the UpstreamClient) answers for it while the API
// asked to wait. Thread-safe; borrows its collaborators.

#include <functional>
#include <string>

#include "common/result.h"
#include "daemon/profiles/profile.h"
#include "daemon/profiles/request_coalescer.h"
#include "daemon/upstream/http_transport.h"
#include "daemon/upstream/upstream_client.h"

namespace wpe {

struct ProxyRequest {
  std::string method;
  std::string rawPath;   // the tail after /api/, still percent-encoded, no leading '/'
  std::string rawQuery;  // without '?', forwarded byte for byte
  std::string body;
  std::string contentType;
  std::string accept;  // part of the coalescing key: answers may differ by Accept
};

class ApiProxy {
 public:
  // coalescer: null → every request goes upstream on its own.
  ApiProxy(UpstreamClient& upstream, std::function<void(const std::string&)> requestSync,
           RequestCoalescer* coalescer = nullptr);

  // The upstream answer, whatever its status; an Error only when wped could not get one
  // (BadRequest for a path that tries to leave the API, LoginRequired, keyring states,
  // UpstreamUnreachable).
  Result<HttpResponse> forward(Profile& profile, const ProxyRequest& request);

  // A path that stays under api_url: no "." or ".." segments, no control characters or
  // spaces, not empty-rooted ("//host").
  static bool isSafePath(const std::string& rawPath);

 private:
  UpstreamClient& upstream_;
  std::function<void(const std::string&)> requestSync_;
  RequestCoalescer* coalescer_;
};

}  // namespace wpe
