#include "common/profile_wire.h"

#include "common/auth_kind.h"
#include "common/json_value.h"
#include "common/json_writer.h"
#include "common/wire.h"

namespace wpe {
namespace {

// The document as an object; Internal otherwise (callers turn it into their own message).
Result<JsonValue> parse(std::string_view body) {
  auto doc = JsonValue::parse(body);
  if (!doc) return doc.error();
  if (!doc->isObject()) return Error(ErrorCode::Internal, "not an object");
  return doc;
}

// A string member; "" when absent or null; an error when it is there but not a string.
Result<std::string> stringField(const JsonValue& object, std::string_view name) {
  const JsonValue& value = object[name];
  if (value.isNull()) return std::string();
  if (!value.isString()) return Error(ErrorCode::Internal, "field is not a string");
  return value.text();
}

Result<std::optional<Secret>> secretField(const JsonValue& object, std::string_view name) {
  if (object[name].isNull()) return std::optional<Secret>();
  auto text = stringField(object, name);
  if (!text) return text.error();
  return std::optional<Secret>(Secret(std::move(text.value())));
}

}  // namespace

std::string loginRequestToJson(const LoginRequest& request) {
  // Keys in name order: the bytes POCO's unordered object wrote before.
  JsonWriter w;
  w.beginObject();
  if (request.apiKey) w.key("api_key").string(request.apiKey->reveal());
  if (request.clientSecret) w.key("client_secret").string(request.clientSecret->reveal());
  w.key("method").string(request.method);
  if (request.password) w.key("password").string(request.password->reveal());
  if (!request.user.empty()) w.key("user").string(request.user);
  w.endObject();
  return w.take();
}

Result<LoginRequest> loginRequestFromJson(std::string_view body) {
  const Error bad(ErrorCode::BadRequest,
                  "the login body must be a JSON object with string fields (method, api_key, "
                  "user, password, client_secret)");
  auto object = parse(body);
  if (!object) return bad;
  LoginRequest request;
  auto method = stringField(*object, "method");
  auto apiKey = secretField(*object, "api_key");
  auto user = stringField(*object, "user");
  auto password = secretField(*object, "password");
  auto clientSecret = secretField(*object, "client_secret");
  if (!method || !apiKey || !user || !password || !clientSecret) return bad;
  request.method = std::move(method.value());
  request.apiKey = std::move(apiKey.value());
  request.user = std::move(user.value());
  request.password = std::move(password.value());
  request.clientSecret = std::move(clientSecret.value());
  if (request.method.empty()) request.method = request.apiKey ? "api_key" : "";
  const auto kind = authKindFromName(request.method);
  if (!kind) {
    return Error(ErrorCode::BadRequest, "\"method\" must be \"api_key\", \"basic\" or \"oauth\"");
  }
  if (kind == AuthKind::ApiKey && (!request.apiKey || request.apiKey->empty())) {
    return Error(ErrorCode::BadRequest, "an api_key login needs a non-empty \"api_key\"");
  }
  if (kind == AuthKind::Basic &&
      (request.user.empty() || !request.password || request.password->empty())) {
    return Error(ErrorCode::BadRequest,
                 "a basic login needs \"user\" (the API user id) and a non-empty \"password\"");
  }
  return request;
}

std::string loginStartedToJson(const LoginStarted& started) {
  // Keys in name order: the bytes POCO's unordered object wrote before.
  JsonWriter w;
  w.beginObject();
  w.key("authorize_url").string(started.authorizeUrl);
  w.key("expires_at").string(started.expiresAt);
  w.key("login_id").string(started.loginId);
  w.endObject();
  return w.take();
}

Result<LoginStarted> loginStartedFromJson(std::string_view body) {
  const Error bad(ErrorCode::Internal, "wped's login answer is not the expected JSON");
  auto object = parse(body);
  if (!object) return bad;
  auto loginId = stringField(*object, "login_id");
  auto authorizeUrl = stringField(*object, "authorize_url");
  auto expiresAt = stringField(*object, "expires_at");
  if (!loginId || !authorizeUrl || !expiresAt) return bad;
  LoginStarted started{*loginId, *authorizeUrl, *expiresAt};
  if (started.loginId.empty() || started.authorizeUrl.empty()) {
    return Error(ErrorCode::Internal, "wped's login answer lacks login_id or authorize_url");
  }
  return started;
}

std::string loginProgressToJson(const LoginProgress& progress) {
  JsonWriter w;
  w.beginObject();
  w.key("login_id").string(progress.loginId);
  w.key("profile").string(progress.profile);
  w.key("state").string(progress.state);
  w.key("error");
  if (progress.error) {
    w.beginObject();
    w.key("code").string(errorCodeName(progress.error->code));
    w.key("message").string(progress.error->message);
    w.endObject();
  } else {
    w.null();
  }
  w.endObject();
  return w.take();
}

Result<LoginProgress> loginProgressFromJson(std::string_view body) {
  const Error bad(ErrorCode::Internal, "wped's login state is not the expected JSON");
  auto object = parse(body);
  if (!object) return bad;
  LoginProgress progress;
  auto loginId = stringField(*object, "login_id");
  auto profile = stringField(*object, "profile");
  auto state = stringField(*object, "state");
  if (!loginId || !profile || !state) return bad;
  progress.loginId = *loginId;
  progress.profile = *profile;
  progress.state = *state;
  if (const JsonValue& error = (*object)["error"]; error.isObject()) {
    auto code = stringField(error, "code");
    auto message = stringField(error, "message");
    if (!code || !message) return bad;
    progress.error = Error(errorCodeFromName(*code), *message);
  } else if (!error.isNull()) {
    return bad;
  }
  if (progress.state.empty()) return Error(ErrorCode::Internal, "login answer lacks state");
  return progress;
}

std::string loginReplyToJson(const LoginReply& reply) {
  JsonWriter w;
  w.beginObject();
  w.key("profile").string(reply.profile);
  w.key("state").string("ready");
  w.key("credential").string(reply.credential);
  w.key("user");
  if (reply.userJson.empty()) {
    w.null();
  } else {
    w.raw(reply.userJson);
  }
  w.endObject();
  return w.take();
}

std::string logoutReplyToJson(const LogoutReply& reply) {
  JsonWriter w;
  w.beginObject().key("profile").string(reply.profile).key("state").string("logged_out");
  w.endObject();
  return w.take();
}

std::string syncReplyToJson(const SyncReply& reply) {
  JsonWriter w;
  w.beginObject().key("profile").string(reply.profile);
  for (const auto& list : reply.lists) {
    w.key(list.kind).beginObject();
    w.key("count").unsignedNumber(list.count);
    w.key("synced_at").stringOrNull(list.syncedAt);
    w.key("stale").boolean(list.stale);
    w.endObject();
  }
  w.endObject();
  return w.take();
}

std::string tokenReplyToJson(const TokenReply& reply) {
  JsonWriter w;
  w.reserve(512);  // an API key's reply is ~300 bytes: one allocation
  w.beginObject();
  w.key("access_token").string(reply.accessToken.reveal());
  w.key("token_type").string(reply.tokenType);
  w.key("expires_at").stringOrNull(reply.expiresAt);
  w.key("authorization").string(reply.authorization.reveal());
  w.key("api_url").string(reply.apiUrl);
  if (reply.password) {
    w.key("user").string(reply.user);
    w.key("password").string(reply.password->reveal());
  }
  w.endObject();
  return w.take();
}

Result<TokenReply> tokenReplyFromJson(std::string_view body) {
  const Error bad(ErrorCode::Internal, "wped's token answer is not the expected JSON");
  auto object = parse(body);
  if (!object) return bad;
  auto accessToken = stringField(*object, "access_token");
  auto tokenType = stringField(*object, "token_type");
  auto expiresAt = stringField(*object, "expires_at");
  auto authorization = stringField(*object, "authorization");
  auto apiUrl = stringField(*object, "api_url");
  auto user = stringField(*object, "user");
  auto password = secretField(*object, "password");
  if (!accessToken || !tokenType || !expiresAt || !authorization || !apiUrl || !user || !password) {
    return bad;
  }
  TokenReply reply;
  reply.accessToken = Secret(std::move(accessToken.value()));
  reply.tokenType = std::move(tokenType.value());
  reply.expiresAt = std::move(expiresAt.value());
  reply.authorization = Secret(std::move(authorization.value()));
  reply.apiUrl = std::move(apiUrl.value());
  reply.user = std::move(user.value());
  reply.password = std::move(password.value());
  if (reply.accessToken.empty() || reply.authorization.empty()) {
    return Error(ErrorCode::Internal, "wped's token answer lacks the token");
  }
  return reply;
}

Result<ListReply> listReplyFromJson(std::string_view body) {
  auto doc = parse(body);
  if (!doc || !(*doc)["results"].isArray()) {
    return Error(ErrorCode::Internal, "not the expected JSON");
  }
  ListReply reply;
  reply.head.syncedAt = (*doc)["synced_at"].text();
  reply.head.stale = (*doc)["stale"].boolean();
  reply.head.syncing = (*doc)["syncing"].boolean();
  reply.head.lastError = (*doc)["last_error"].text();
  auto count = (*doc)["count"].integer();
  reply.hasCount = count && *count >= 0;
  if (reply.hasCount) reply.head.count = static_cast<std::size_t>(*count);
  // The members are moved out, not copied: a list holds 10,000 objects.
  reply.results = doc->take("results");
  return reply;
}

std::string listReplyToJson(const ListReplyHead& head, std::string_view resultsArrayJson) {
  std::string out = listReplyOpening(head);
  out.reserve(out.size() + resultsArrayJson.size() + kListReplyClosing.size());
  out += resultsArrayJson;
  out += kListReplyClosing;
  return out;
}

std::string listReplyOpening(const ListReplyHead& head) {
  std::string out;
  out.reserve(160);
  out += "{\"synced_at\":";
  out += head.syncedAt.empty() ? std::string("null") : jsonQuote(head.syncedAt);
  out += ",\"stale\":";
  out += head.stale ? "true" : "false";
  out += ",\"syncing\":";
  out += head.syncing ? "true" : "false";
  out += ",\"last_error\":";
  out += head.lastError.empty() ? std::string("null") : jsonQuote(head.lastError);
  out += ",\"count\":" + std::to_string(head.count) + ",\"results\":";
  return out;
}

}  // namespace wpe
