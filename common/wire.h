#pragma once
// The local API's wire format, defined once for the daemon and wpectl (docs/architecture.md).
// Every error travels as {"error":{"code":"…","message":"…"}} with the HTTP status from
// httpStatusFor(code). Status and profile documents are built and read here.
//
// The *FromJson functions never throw: malformed input becomes an Error (BadRequest for a
// request body, Internal for an answer the client did not expect).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/result.h"

namespace wpe {

// `text` as a JSON string literal, quotes included. Control characters become \uXXXX; bytes
// ≥ 0x80 pass through (the caller supplies UTF-8).
std::string jsonQuote(std::string_view text);
// The same, appended to `out` (no string of its own).
void appendJsonQuoted(std::string& out, std::string_view text);

// {"error":{"code":"…","message":"…"}} (plus "retry_after" when set).
std::string errorToJson(const Error& error);
// Reads an error document; anything else becomes Internal naming the HTTP status.
Error errorFromJson(std::string_view body, int httpStatus);

// One profile as GET /v1/profiles[/{p}] shows it: its non-secret configuration.
struct ProfileInfo {
  std::string name;
  std::string auth;  // "api_key" | "basic" | "oauth"
  std::string apiUrl;
  std::string user;
  std::string authorizeUrl;
  std::string tokenUrl;
  std::string revokeUrl;
  std::string clientId;
  std::string scope;
  int redirectPort = 0;
  std::string caFile;
};

// One profile's line in GET /v1/status. `extra` holds further scalar facts a module adds
// (e.g. "token_expires_at"), sent as JSON strings and rendered by wpectl as "key: value".
struct ProfileStatus {
  std::string name;
  std::string auth;
  std::string state = "unknown";  // e.g. "ready", "login_required", "not_configured"
  std::string detail;             // one line: what is wrong and what to do next
  std::vector<std::pair<std::string, std::string>> extra;
};

struct StoreStatusInfo {
  std::string state = "unknown";  // "ready" | "memory" | "unavailable" | "locked" | "unknown"
  std::string detail;
};

struct StatusInfo {
  std::string version;
  std::int64_t pid = 0;
  std::int64_t uptimeSeconds = 0;
  std::string socket;
  std::string config;  // the file read, or "" when defaults were used
  StoreStatusInfo credentialStore;
  StoreStatusInfo cache;  // "ready" | "unavailable" (detail: why and what to do) | "unknown"
  std::vector<ProfileStatus> profiles;
};

std::string profileInfoToJson(const ProfileInfo& profile);
std::string profileListToJson(const std::vector<ProfileInfo>& profiles);  // {"profiles":[…]}
Result<ProfileInfo> profileInfoFromJson(std::string_view body);
Result<std::vector<ProfileInfo>> profileListFromJson(std::string_view body);

// GET /v1/ping: {"ok":true}
std::string pingReplyToJson();
// POST /v1/shutdown (202): {"stopping":true}
std::string shutdownReplyToJson();
// POST /v1/reload: {"reloaded":true,"config":"FILE or \"\"","profiles":N}
struct ReloadReply {
  std::string config;  // the file read, or "" when defaults were used
  std::size_t profiles = 0;
};
std::string reloadReplyToJson(const ReloadReply& reply);

std::string statusToJson(const StatusInfo& status);
Result<StatusInfo> statusFromJson(std::string_view body);

}  // namespace wpe
