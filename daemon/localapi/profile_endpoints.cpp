#include "daemon/localapi/profile_endpoints.h"

#include "common/login_callback_wire.h"
#include "common/profile_wire.h"
#include "common/wire.h"
#include "daemon/time/rfc3339.h"
#include "daemon/localapi/json_body.h"

namespace wpe {
namespace {

// 10 minutes: a first sync of 50,000 sites at the API's pace fits; a stuck one does not
// hold a client forever.
constexpr std::chrono::minutes kFirstSyncWait{10};
constexpr int kMaxLoginWaitSeconds = 120;
constexpr int kMaxMinValidSeconds = 86400;

// Parses an optional integer query parameter within [0, max].
Result<int> intParam(const ApiRequest& request, const std::string& name, int fallback, int max) {
  std::string text = request.queryParam(name);
  if (text.empty()) return fallback;
  Error bad(ErrorCode::BadRequest,
            name + " must be a whole number of seconds from 0 to " + std::to_string(max));
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > max) return bad;
    value = value * 10 + (c - '0');
  }
  if (value > max) return bad;
  return static_cast<int>(value);
}

bool truthy(const std::string& value) { return value == "1" || value == "true" || value == "yes"; }

Error unknownLogin() {
  return Error(ErrorCode::NotFound,
               "no login with this id (finished logins are kept 10 minutes); start a new one "
               "with `wpectl login --oauth`");
}

ApiResponse noStore(ApiResponse response) {
  response.noStore = true;
  return response;
}

}  // namespace

ProfileEndpoints::ProfileEndpoints(ProfileRegistry& registry, LoginRegistry& logins,
                                   CacheStore& cache, ApiProxy& proxy, AuditSink* audit)
    : registry_(registry), logins_(logins), cache_(cache), proxy_(proxy), audit_(audit) {}

ApiResponse ProfileEndpoints::audited(ApiRequest& request, ApiResponse response) {
  // request.path is the path alone: the query (min_valid, or the API's own parameters,
  // which may carry secrets) is never recorded.
  if (audit_ != nullptr) {
    audit_->record(request.peer, request.param("p"), request.method, request.path, response.status);
  }
  return response;
}

void ProfileEndpoints::registerRoutes(Router& router) {
  router.add("POST", "/v1/profiles/{p}/login", [this](ApiRequest& r) { return login(r); });
  router.add("GET", "/v1/logins/{id}", [this](ApiRequest& r) { return loginProgress(r); });
  router.add("POST", "/v1/logins/{id}/callback",
             [this](ApiRequest& r) { return loginCallback(r); });
  router.add("POST", "/v1/profiles/{p}/logout", [this](ApiRequest& r) { return logout(r); });
  router.add("GET", "/v1/profiles/{p}/token",
             [this](ApiRequest& r) { return audited(r, token(r)); });
  for (ListKind kind : kAllListKinds) {
    std::string base = std::string("/v1/profiles/{p}/") + listKindName(kind);
    router.add("GET", base, [this, kind](ApiRequest& r) { return list(r, kind); });
    router.add("GET", base + "/{id}", [this, kind](ApiRequest& r) { return item(r, kind); });
  }
  router.add("POST", "/v1/profiles/{p}/sync", [this](ApiRequest& r) { return sync(r); });
  router.add("*", "/v1/profiles/{p}/api/{path...}",
             [this](ApiRequest& r) { return audited(r, api(r)); });
}

ApiResponse ProfileEndpoints::login(ApiRequest& request) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  auto checked = parseJsonObject(request.body);
  if (!checked) return ApiResponse::error(checked.error());
  auto body = loginRequestFromJson(request.body);
  if (!body) return ApiResponse::error(body.error());

  if (authKindFromName(body->method) == AuthKind::OAuth) {
    auto started = (*profile)->beginOAuthLogin(body->clientSecret);
    if (!started) return ApiResponse::error(started.error());
    return noStore(
        ApiResponse::json(202, loginStartedToJson({started->loginId, started->authorizeUrl,
                                                   formatRfc3339(started->expiresAt)})));
  }
  auto user = authKindFromName(body->method) == AuthKind::Basic
                  ? (*profile)->loginWithBasic(body->user, *body->password)
                  : (*profile)->loginWithApiKey(*body->apiKey);
  if (!user) return ApiResponse::error(user.error());
  return ApiResponse::json(200, loginReplyToJson({(*profile)->name(), body->method, *user}));
}

ApiResponse ProfileEndpoints::loginProgress(ApiRequest& request) {
  const std::string& id = request.param("id");
  auto session = logins_.find(id);
  if (!session) return ApiResponse::error(unknownLogin());
  auto wait = intParam(request, "wait", 0, kMaxLoginWaitSeconds);
  if (!wait) return ApiResponse::error(wait.error());
  LoginStatus status = *wait > 0 ? session->waitFor(std::chrono::seconds(*wait)) : session->state();
  LoginProgress progress{id, session->profile(), loginStateName(status.state), status.error};
  return ApiResponse::json(200, loginProgressToJson(progress));
}

ApiResponse ProfileEndpoints::loginCallback(ApiRequest& request) {
  const std::string& id = request.param("id");
  auto session = logins_.find(id);
  if (!session) return ApiResponse::error(unknownLogin());
  auto body = loginCallbackFromJson(request.body);
  if (!body) return ApiResponse::error(body.error());
  if (auto done = session->completeWithAddress(body->url); !done) {
    return ApiResponse::error(done.error());
  }
  LoginStatus status = session->waitFor(std::chrono::seconds(kMaxLoginWaitSeconds));
  LoginProgress progress{id, session->profile(), loginStateName(status.state), status.error};
  return noStore(ApiResponse::json(200, loginProgressToJson(progress)));
}

ApiResponse ProfileEndpoints::logout(ApiRequest& request) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  auto result = (*profile)->logout();
  if (!result) return ApiResponse::error(result.error());
  return ApiResponse::json(200, logoutReplyToJson({(*profile)->name()}));
}

ApiResponse ProfileEndpoints::token(ApiRequest& request) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  auto minValid = intParam(request, "min_valid", 0, kMaxMinValidSeconds);
  if (!minValid) return ApiResponse::error(minValid.error());
  auto token = (*profile)->token(std::chrono::seconds(*minValid));
  if (!token) return ApiResponse::error(token.error());
  const TokenInfo& info = **token;
  // Serialised once per token, by the first request for it, and kept (and wiped) with it:
  // no copy of a secret per request. api_url cannot change under it: a changed profile
  // section makes a new Profile, with tokens of its own.
  const Secret& body = info.reply.get([&] {
    TokenReply reply{info.accessToken,
                     info.tokenType,
                     info.expiresAt ? formatRfc3339(*info.expiresAt) : std::string(),
                     info.authorization,
                     (*profile)->config().apiUrl,
                     info.user,
                     info.password};
    return Secret(tokenReplyToJson(reply));
  });
  ApiResponse response;
  response.secretBody = std::shared_ptr<const Secret>(*token, &body);  // keeps the token alive
  response.noStore = true;
  return response;
}

ApiResponse ProfileEndpoints::list(ApiRequest& request, ListKind kind) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  SiteCatalog& catalog = (*profile)->catalog();
  if (truthy(request.queryParam("refresh"))) {
    // The profile's own reason (a credential bound to another host, a locked keyring) says
    // more than the catalog's "not logged in"; asking also restores a profile not read yet.
    if (auto usable = (*profile)->authorizer(); !usable) return ApiResponse::error(usable.error());
    if (auto synced = catalog.refresh(kind); !synced) return ApiResponse::error(synced.error());
  }
  auto snapshot = catalog.snapshot(kind);
  if (!snapshot) return ApiResponse::error(snapshot.error());
  if (snapshot->syncedAt.empty()) {
    // Never synced: wait for the first sync rather than answer an empty list that reads
    // like "you have no sites".
    if (auto settled = (*profile)->awaitRestore(); !settled) {
      return ApiResponse::error(settled.error());
    }
    if (auto first = catalog.waitForFirstSync(kind, kFirstSyncWait); !first) {
      return ApiResponse::error(first.error());
    }
    snapshot = catalog.snapshot(kind);
    if (!snapshot) return ApiResponse::error(snapshot.error());
  }
  ListReplyHead head{snapshot->syncedAt, snapshot->stale, snapshot->count, snapshot->syncing,
                     snapshot->lastError};
  // The array goes out from the cache's file as it is (no copy): opening + array + closing
  // is byte for byte listReplyToJson(head, array).
  ApiResponse response = ApiResponse::json(200, listReplyOpening(head));
  response.listBody = std::move(snapshot->body);
  response.bodyTail = kListReplyClosing;
  return response;
}

ApiResponse ProfileEndpoints::item(ApiRequest& request, ListKind kind) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  auto snapshot = (*profile)->catalog().snapshot(kind, false);
  if (snapshot && snapshot->syncedAt.empty()) {
    if (auto settled = (*profile)->awaitRestore(); !settled) {
      return ApiResponse::error(settled.error());
    }
    if (auto first = (*profile)->catalog().waitForFirstSync(kind, kFirstSyncWait); !first) {
      return ApiResponse::error(first.error());
    }
  }
  auto found = cache_.get((*profile)->name(), kind, request.param("id"));
  if (!found) return ApiResponse::error(found.error());
  return ApiResponse::json(200, *found);
}

ApiResponse ProfileEndpoints::sync(ApiRequest& request) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  SiteCatalog& catalog = (*profile)->catalog();
  // A credential still being read at start is not "not logged in": sync with it.
  if (auto settled = (*profile)->awaitRestore(); !settled) {
    return ApiResponse::error(settled.error());
  }
  Status result = catalog.sync();
  if (!result) return ApiResponse::error(result.error());
  SyncReply reply{(*profile)->name(), {}};
  for (ListKind kind : kAllListKinds) {
    auto snapshot = catalog.snapshot(kind, false);
    if (!snapshot) continue;
    reply.lists.push_back(
        {listKindName(kind), snapshot->count, snapshot->syncedAt, snapshot->stale});
  }
  return ApiResponse::json(200, syncReplyToJson(reply));
}

ApiResponse ProfileEndpoints::api(ApiRequest& request) {
  auto profile = registry_.find(request.param("p"));
  if (!profile) return ApiResponse::error(profile.error());
  ProxyRequest forward{request.method,
                       request.param("path"),
                       request.rawQuery,
                       request.body,
                       std::string(request.header("content-type")),
                       std::string(request.header("accept"))};
  auto response = proxy_.forward(**profile, forward);
  if (!response) return ApiResponse::error(response.error());
  ApiResponse out;
  out.status = response->status;
  out.contentType = response->header("Content-Type");
  out.body = std::move(response->body);
  std::string retryAfter = response->header("Retry-After");
  if (!retryAfter.empty()) out.headers.emplace_back("Retry-After", retryAfter);
  return out;
}

}  // namespace wpe
