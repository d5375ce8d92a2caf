#include "daemon/profiles/bound_credential_store.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/auth_kind.h"
#include "common/log_escape.h"

namespace wpe {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// One line naming a binding for a person: the origin, and for oauth where the grant came from
// and where logout revokes it.
std::string describe(const CredentialBinding& b) {
  std::string out = b.origin.empty() ? "(no API host)" : b.origin;
  std::vector<std::string> parts;
  if (!b.tokenEndpoint.empty()) parts.push_back("token endpoint " + b.tokenEndpoint);
  if (!b.clientId.empty()) parts.push_back("client id " + b.clientId);
  if (b.revokeEndpoint) {
    parts.push_back(b.revokeEndpoint->empty() ? "no revocation endpoint"
                                              : "revocation endpoint " + *b.revokeEndpoint);
  }
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? " (" : ", ") + parts[i];
  if (!parts.empty()) out += ")";
  return out;
}

}  // namespace

BoundCredentialStore::BoundCredentialStore(CredentialStore& inner, ProfileConfig config,
                                           Poco::Logger& logger, std::string loginHint)
    : inner_(inner),
      config_(std::move(config)),
      logger_(logger),
      loginHint_(std::move(loginHint)) {}

std::string BoundCredentialStore::originOf(const std::string& url) {
  try {
    const Poco::URI uri(url);
    const std::string scheme = lower(uri.getScheme());
    std::string host = lower(uri.getHost());
    if (scheme.empty() || host.empty()) return url;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    const unsigned short port = uri.getSpecifiedPort();
    const bool defaultPort =
        port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + std::to_string(port));
  } catch (const Poco::Exception&) {
    return url;  // the config loader rejects such URLs; compared as text all the same
  }
}

CredentialBinding BoundCredentialStore::bindingFor(const ProfileConfig& config, AuthKind kind) {
  CredentialBinding binding;
  // Every kind's secret (or the access token it yields) is sent to the API.
  binding.origin = originOf(config.apiUrl);
  if (kind == AuthKind::OAuth) {
    // The refresh token goes to the token endpoint, and only the client it was issued to may
    // use it: a grant from another endpoint or client must not be sent to this one.
    binding.tokenEndpoint = config.tokenUrl;
    binding.clientId = config.clientId;
    // `wpectl logout` sends the refresh token to the revocation endpoint: a changed one would
    // receive a grant issued elsewhere.
    binding.revokeEndpoint = config.revokeUrl;
  }
  return binding;
}

std::string BoundCredentialStore::refusal(AuthKind kind, const CredentialBinding& stored,
                                          const CredentialBinding& expected) const {
  return std::string("the stored ") + authKindName(kind) + " credential was issued for " + describe(stored) +
         ", not for " + describe(expected) +
         " as now configured; nothing was sent. Log in again for " + describe(expected) + ": " +
         loginHint_;
}

Result<std::optional<StoredCredential>> BoundCredentialStore::load(const std::string& profile) {
  // wped restores from the scheduler and from the first request at once: without this both
  // would find the item unbound and migrate (and log) it twice.
  LockGuard lock(loadMutex_);
  auto loaded = inner_.load(profile);
  if (!loaded || !loaded->has_value()) return loaded;
  StoredCredential& credential = **loaded;
  const CredentialBinding expected = bindingFor(config_, credential.kind);
  if (credential.binding.empty()) {
    // Stored before credentials were bound: it was meant for the host configured now (the
    // only one it could have been used with so far), so bind it there, once.
    credential.binding = expected;
    migrate(profile, credential, describe(expected));
    return loaded;
  }
  if (!credential.binding.revokeEndpoint && expected.revokeEndpoint) {
    // An oauth item bound before the revocation endpoint was part of the binding: the rest
    // must match as before; the revocation endpoint is the one configured now, bound once.
    CredentialBinding completed = credential.binding;
    completed.revokeEndpoint = expected.revokeEndpoint;
    if (completed == expected) {
      credential.binding = expected;
      migrate(profile, credential,
              expected.revokeEndpoint->empty() ? "no revocation endpoint"
                                               : "revocation endpoint " + *expected.revokeEndpoint);
      return loaded;
    }
  }
  if (credential.binding != expected) {
    return Error(ErrorCode::LoginRequired, refusal(credential.kind, credential.binding, expected));
  }
  return loaded;
}

void BoundCredentialStore::migrate(const std::string& profile, const StoredCredential& credential,
                                   const std::string& boundTo) {
  const std::string what = std::string("the stored ") + authKindName(credential.kind) +
                           " credential of profile " + escapeForLog(profile) + " to " + boundTo;
  if (Status saved = inner_.save(profile, credential); !saved) {
    logger_.warning("could not bind " + what + " yet (" + saved.error().message +
                    "); using it and trying again next time");
  } else {
    logger_.information("bound " + what);
  }
}

Status BoundCredentialStore::save(const std::string& profile, const StoredCredential& credential) {
  StoredCredential bound = credential;
  bound.binding = bindingFor(config_, credential.kind);
  return inner_.save(profile, bound);
}

Status BoundCredentialStore::erase(const std::string& profile) { return inner_.erase(profile); }

StoreStatus BoundCredentialStore::probe() { return inner_.probe(); }

}  // namespace wpe
