#pragma once
// The local API's wire format for the per-profile endpoints (login, logins, token, lists),
// defined once for wped and wpectl. Bodies carrying secrets (a login request, a token answer)
// exist only on the socket, which serves only its own uid; their Secret fields are revealed
// only when the body is built.
//
// *FromJson functions never throw: malformed input is BadRequest (a request body) or
// Internal (an answer the client did not expect), naming the field, never its value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_value.h"
#include "common/result.h"
#include "common/secret.h"

namespace wpe {

// POST /v1/profiles/{p}/login
//   {"method":"api_key","api_key":"…"} | {"method":"basic","user":"…","password":"…"}
//   | {"method":"oauth"[,"client_secret":"…"]}
struct LoginRequest {
  std::string method;  // an AuthKind name (common/auth_kind.h)
  std::optional<Secret> apiKey;
  std::string user;
  std::optional<Secret> password;
  std::optional<Secret> clientSecret;
};
std::string loginRequestToJson(const LoginRequest& request);
Result<LoginRequest> loginRequestFromJson(std::string_view body);

// 202 answer to an OAuth login: {"login_id","authorize_url","expires_at"}
struct LoginStarted {
  std::string loginId;
  std::string authorizeUrl;
  std::string expiresAt;  // RFC 3339 UTC
};
std::string loginStartedToJson(const LoginStarted& started);
Result<LoginStarted> loginStartedFromJson(std::string_view body);

// GET /v1/logins/{id}: {"login_id","profile","state":"pending|succeeded|failed","error":{…}|null}
struct LoginProgress {
  std::string loginId;
  std::string profile;
  std::string state;
  std::optional<Error> error;
};
std::string loginProgressToJson(const LoginProgress& progress);
Result<LoginProgress> loginProgressFromJson(std::string_view body);

// 200 answer to an api_key or basic login:
//   {"profile","state":"ready","credential":"api_key|basic","user":{…WP Engine user}|null}
struct LoginReply {
  std::string profile;
  std::string credential;  // the login method
  std::string userJson;    // the API's user object as it came, or "" (sent as null)
};
std::string loginReplyToJson(const LoginReply& reply);

// POST /v1/profiles/{p}/logout: {"profile","state":"logged_out"}
struct LogoutReply {
  std::string profile;
};
std::string logoutReplyToJson(const LogoutReply& reply);

// POST /v1/profiles/{p}/sync:
//   {"profile","sites":{"count","synced_at" (or null),"stale"},"installs":{…},"accounts":{…}}
struct SyncReply {
  struct List {
    std::string kind;  // "sites" | "installs" | "accounts"
    std::size_t count = 0;
    std::string syncedAt;  // "" when never synced (sent as null)
    bool stale = true;
  };
  std::string profile;
  std::vector<List> lists;
};
std::string syncReplyToJson(const SyncReply& reply);

// GET /v1/profiles/{p}/token:
//   {"access_token","token_type","expires_at" (RFC 3339, or null for keys),"authorization",
//    "api_url"[,"user","password" — Basic only]}
// user and password are the Basic credential's parts, so `wpectl exec` can hand them to tools
// that take them separately without decoding the header.
struct TokenReply {
  Secret accessToken;
  std::string tokenType;  // "Bearer" | "ApiKey" | "Basic"
  std::string expiresAt;  // "" when the credential does not expire
  Secret authorization;
  std::string apiUrl;              // the profile's api_url ("" from an older wped)
  std::string user;                // Basic: the API user id; "" otherwise
  std::optional<Secret> password;  // Basic: the API password; absent otherwise
};
std::string tokenReplyToJson(const TokenReply& reply);
Result<TokenReply> tokenReplyFromJson(std::string_view body);

// GET /v1/profiles/{p}/{sites|installs|accounts}:
//   {"synced_at","stale","count","syncing","last_error","results":[…]} — results is the JSON
// array text exactly as cached, spliced in without re-serialising (10,000 sites stay fast).
struct ListReplyHead {
  std::string syncedAt;  // "" when never synced (sent as null)
  bool stale = true;
  std::size_t count = 0;
  bool syncing = false;
  std::string lastError;  // "" when none (sent as null)
};
std::string listReplyToJson(const ListReplyHead& head, std::string_view resultsArrayJson);
// The same reply in three pieces, for a sender that has the array elsewhere (wped sends it
// from a file): listReplyOpening(head) + resultsArrayJson + kListReplyClosing.
std::string listReplyOpening(const ListReplyHead& head);
inline constexpr std::string_view kListReplyClosing = "}";

// A list answer as wpectl reads it: the head, and the results array (moved out of the
// document, never copied). hasCount is false when "count" is absent (an older wped).
struct ListReply {
  ListReplyHead head;
  bool hasCount = false;
  JsonValue results;
};
Result<ListReply> listReplyFromJson(std::string_view body);

}  // namespace wpe
