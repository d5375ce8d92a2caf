#include "daemon/profiles/profile_registry.h"

#include "daemon/cache/cache_store.h"
#include "common/list_kind.h"
#include "daemon/time/rfc3339.h"
#include "daemon/profiles/request_coalescer.h"
#include "daemon/upstream/rate_limit_gate.h"

namespace wpe {
namespace {

bool sameSettings(const ProfileConfig& a, const ProfileConfig& b) {
  return a.auth == b.auth && a.apiUrl == b.apiUrl && a.user == b.user &&
         a.authorizeUrl == b.authorizeUrl && a.tokenUrl == b.tokenUrl &&
         a.revokeUrl == b.revokeUrl && a.clientId == b.clientId && a.scope == b.scope &&
         a.redirectPort == b.redirectPort && a.caFile == b.caFile;
}

std::string optionalTime(const std::optional<WallTime>& t) {
  return t ? formatRfc3339(*t) : std::string();
}

}  // namespace

ProfileRegistry::ProfileRegistry(ProfileServices& services, bool memoryStore)
    : services_(services), memoryStore_(memoryStore) {}

std::vector<std::shared_ptr<Profile>> ProfileRegistry::apply(const DaemonConfig& config) {
  std::vector<std::shared_ptr<Profile>> created;
  std::vector<std::shared_ptr<Profile>> retired;  // destroyed outside the lock
  {
    LockGuard lock(mutex_);
    configPath_ = config.sourcePath;
    for (auto it = profiles_.begin(); it != profiles_.end();) {
      auto next = config.profiles.find(it->first);
      if (next == config.profiles.end() || !sameSettings(next->second, it->second->config())) {
        retired.push_back(it->second);
        it = profiles_.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& [name, profileConfig] : config.profiles) {
      if (profiles_.count(name)) continue;
      auto profile = std::make_shared<Profile>(profileConfig, services_);
      profiles_.emplace(name, profile);
      created.push_back(profile);
    }
  }
  return created;
}

Result<std::shared_ptr<Profile>> ProfileRegistry::find(const std::string& name) const {
  LockGuard lock(mutex_);
  auto it = profiles_.find(name);
  if (it != profiles_.end()) return it->second;
  std::string where = configPath_.empty() ? "~/.config/wped/wped.ini" : configPath_;
  return Error(ErrorCode::NotFound, "no profile named '" + name + "'; add a [profile." + name +
                                        "] section to " + where + " and run `wpectl reload`");
}

std::vector<std::shared_ptr<Profile>> ProfileRegistry::all() const {
  LockGuard lock(mutex_);
  std::vector<std::shared_ptr<Profile>> out;
  for (const auto& [name, profile] : profiles_) out.push_back(profile);
  return out;
}

void ProfileRegistry::setStoreStatus(StoreStatus status) {
  LockGuard lock(mutex_);
  storeStatus_ = std::move(status);
  storeProbed_ = true;
}

StoreStatusInfo ProfileRegistry::credentialStore() {
  LockGuard lock(mutex_);
  if (!storeProbed_ && !memoryStore_) return {"unknown", "the keyring has not been probed yet"};
  return {storeStateName(storeStatus_.state), storeStatus_.detail};
}

StoreStatusInfo ProfileRegistry::cache() {
  const CacheAvailability availability = services_.cache.availability();
  if (availability.available) return {"ready", services_.cache.path()};
  return {"unavailable", availability.reason.message};
}

void ProfileRegistry::describeProfile(const ProfileConfig& config, ProfileStatus& out) {
  auto found = find(config.name);
  if (!found) {
    out.state = "unknown";
    return;
  }
  auto& profile = **found;
  auto s = profile.snapshot();
  out.state = credentialStateName(s.state);
  out.detail = s.detail;
  if (s.kind) out.extra.emplace_back("credential", authKindName(*s.kind));
  if (!s.user.empty()) out.extra.emplace_back("user", s.user);
  if (auto account = profile.account()) {
    if (!account->email.empty()) out.extra.emplace_back("account_email", account->email);
    if (!account->name.empty()) out.extra.emplace_back("account_name", account->name);
  }
  if (services_.rateLimits != nullptr) {
    auto limits = services_.rateLimits->snapshot(config.name);
    if (limits.until) out.extra.emplace_back("rate_limit_until", formatRfc3339(*limits.until));
    out.extra.emplace_back("rate_limited_answers", std::to_string(limits.heldBack));
  }
  if (services_.coalescer != nullptr) {
    out.extra.emplace_back("passthrough_coalesced",
                           std::to_string(services_.coalescer->coalesced(config.name)));
  }
  if (memoryStore_) out.extra.emplace_back("storage", "memory only (lost when wped stops)");
  if (s.token) {
    const auto& t = *s.token;
    out.extra.emplace_back("token_state", tokenStateName(t.state));
    if (t.expiresAt) out.extra.emplace_back("token_expires_at", formatRfc3339(*t.expiresAt));
    if (t.lastRefreshAt) out.extra.emplace_back("last_refresh_at", optionalTime(t.lastRefreshAt));
    if (t.nextRefreshAt) out.extra.emplace_back("next_refresh_at", optionalTime(t.nextRefreshAt));
    if (!t.lastError.empty()) out.extra.emplace_back("token_error", t.lastError);
    if (t.persistencePending) {
      out.extra.emplace_back("persistence_pending",
                             "true (the keyring does not hold the newest token yet; retrying)");
    }
  }
  for (ListKind kind : kAllListKinds) {
    auto snap = profile.catalog().snapshot(kind, false);
    const std::string name = listKindName(kind);
    if (!snap) {
      out.extra.emplace_back(name + "_error", snap.error().message);
      continue;
    }
    out.extra.emplace_back(name + "_count", std::to_string(snap->count));
    out.extra.emplace_back(name + "_synced_at", snap->syncedAt.empty() ? "never" : snap->syncedAt);
    out.extra.emplace_back(name + "_stale", snap->stale ? "true" : "false");
    if (snap->syncing) {
      out.extra.emplace_back(name + "_syncing", "true");
      out.extra.emplace_back(name + "_sync_pages", std::to_string(snap->syncPages));
      out.extra.emplace_back(name + "_sync_items", std::to_string(snap->syncItems));
    }
    if (!snap->lastError.empty()) out.extra.emplace_back(name + "_error", snap->lastError);
  }
}

}  // namespace wpe
