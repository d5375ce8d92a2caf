#include "daemon/localapi/core_endpoints.h"

#include <unistd.h>

#include "common/log_escape.h"
#include "common/profile_name.h"
#include "version.h"

namespace wpe {

Result<ProfileConfig> findProfile(const DaemonConfig& config, const std::string& name) {
  auto it = config.profiles.find(name);
  if (it == config.profiles.end()) {
    return Error(ErrorCode::NotFound, "no profile \"" + escapeForLog(name, 64) +
                                          "\"; add [profile." + escapeForLog(name, 64) +
                                          "] to the config and run `wpectl reload`");
  }
  return it->second;
}

ProfileInfo profileInfoOf(const ProfileConfig& p) {
  ProfileInfo info;
  info.name = p.name;
  info.auth = authKindName(p.auth);
  info.apiUrl = p.apiUrl;
  info.user = p.user;
  info.authorizeUrl = p.authorizeUrl;
  info.tokenUrl = p.tokenUrl;
  info.revokeUrl = p.revokeUrl;
  info.clientId = p.clientId;
  info.scope = p.scope;
  info.redirectPort = p.redirectPort;
  info.caFile = p.caFile;
  return info;
}

void CoreEndpoints::registerRoutes(Router& router) {
  router.addParamRule("p", isValidProfileName, "a profile name (1 to 64 of A-Z a-z 0-9 _ -)");
  router.add("GET", "/v1/ping",
             [](ApiRequest&) { return ApiResponse::json(200, pingReplyToJson()); });
  router.add("GET", "/v1/status", [this](ApiRequest& r) { return status(r); });
  router.add("GET", "/v1/profiles", [this](ApiRequest& r) { return profiles(r); });
  router.add("GET", "/v1/profiles/{p}", [this](ApiRequest& r) { return profile(r); });
  router.add("POST", "/v1/reload", [this](ApiRequest& r) { return reload(r); });
  router.add("POST", "/v1/shutdown", [this](ApiRequest& r) { return shutdown(r); });
}

ApiResponse CoreEndpoints::status(ApiRequest&) {
  auto config = deps_.config.current();
  StatusProvider& provider = deps_.statusProvider();
  StatusInfo s;
  s.version = kVersion;
  s.pid = ::getpid();
  s.uptimeSeconds = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - deps_.startedAt)
                        .count();
  s.socket = deps_.socketPath;
  s.config = config->sourcePath;
  s.credentialStore = provider.credentialStore();
  s.cache = provider.cache();
  for (const auto& [name, profile] : config->profiles) {
    ProfileStatus p;
    p.name = name;
    p.auth = authKindName(profile.auth);
    provider.describeProfile(profile, p);
    s.profiles.push_back(std::move(p));
  }
  return ApiResponse::json(200, statusToJson(s));
}

ApiResponse CoreEndpoints::profiles(ApiRequest&) {
  auto config = deps_.config.current();
  std::vector<ProfileInfo> list;
  for (const auto& [name, profile] : config->profiles) list.push_back(profileInfoOf(profile));
  return ApiResponse::json(200, profileListToJson(list));
}

ApiResponse CoreEndpoints::profile(ApiRequest& request) {
  auto config = deps_.config.current();
  auto found = findProfile(*config, request.param("p"));
  if (!found) return ApiResponse::error(found.error());
  return ApiResponse::json(200, profileInfoToJson(profileInfoOf(found.value())));
}

ApiResponse CoreEndpoints::reload(ApiRequest&) {
  auto result = deps_.reload();
  if (!result) return ApiResponse::error(result.error());
  auto config = deps_.config.current();
  return ApiResponse::json(200, reloadReplyToJson({config->sourcePath, config->profiles.size()}));
}

ApiResponse CoreEndpoints::shutdown(ApiRequest&) {
  deps_.requestShutdown();
  return ApiResponse::json(202, shutdownReplyToJson());
}

}  // namespace wpe
