#pragma once
// ProfileEndpoints: the per-profile routes of the local API (docs/local-api.md has one
// example each).
// clang-format off
//   POST /v1/profiles/{p}/login                api_key | basic (checked upstream, then stored)
//                                              | oauth (202 and a login id)
//   GET  /v1/logins/{id}[?wait=S]              an OAuth login's progress; waits up to S ≤ 120 s
//   POST /v1/logins/{id}/callback              completes it with where the browser ended
//   POST /v1/profiles/{p}/logout               revoke where possible, wipe the keyring item,
//                                              drop the cached lists
//   GET  /v1/profiles/{p}/token[?min_valid=S]  a valid token (refreshed first when needed)
//   GET  /v1/profiles/{p}/{list}[?refresh=1]   list: sites | installs | accounts (cached)
//   GET  /v1/profiles/{p}/{list}/{id-or-name}  one item of a list
//   POST /v1/profiles/{p}/sync                 sync all three lists now and wait for it
//   *    /v1/profiles/{p}/api/{path…}          the authenticating passthrough (ApiProxy)
// clang-format on
// Token requests and passthrough calls are told to the AuditSink, when one is given, after
// they are answered (whatever the answer).
// Borrows everything; all of it must outlive the router. Thread-safe.

#include "daemon/audit/audit_sink.h"
#include "daemon/auth/login_registry.h"
#include "daemon/cache/cache_store.h"
#include "daemon/localapi/router.h"
#include "daemon/profiles/api_proxy.h"
#include "daemon/profiles/profile_registry.h"

namespace wpe {

class ProfileEndpoints {
 public:
  ProfileEndpoints(ProfileRegistry& registry, LoginRegistry& logins, CacheStore& cache,
                   ApiProxy& proxy, AuditSink* audit = nullptr);
  void registerRoutes(Router& router);

  ApiResponse login(ApiRequest& request);
  ApiResponse loginProgress(ApiRequest& request);
  // POST /v1/logins/{id}/callback {"url":…}: completes a pending login with the pasted
  // address; 200 with the final progress, or 400/409 with the login left as it was.
  ApiResponse loginCallback(ApiRequest& request);
  ApiResponse logout(ApiRequest& request);
  ApiResponse token(ApiRequest& request);
  ApiResponse list(ApiRequest& request, ListKind kind);
  ApiResponse item(ApiRequest& request, ListKind kind);
  ApiResponse sync(ApiRequest& request);
  ApiResponse api(ApiRequest& request);

 private:
  ProfileRegistry& registry_;
  LoginRegistry& logins_;
  CacheStore& cache_;
  ApiProxy& proxy_;
  AuditSink* audit_;

  ApiResponse audited(ApiRequest& request, ApiResponse response);
};

}  // namespace wpe
