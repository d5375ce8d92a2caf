#include "common/profile_wire.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "common/wire.h"

namespace wpe {
namespace {

using Poco::JSON::Object;

Object::Ptr parse(std::string_view body) {
  Poco::JSON::Parser parser;
  auto value = parser.parse(std::string(body));
  auto object = value.extract<Object::Ptr>();
  if (!object) throw Poco::JSON::JSONException("not an object");
  return object;
}

std::string stringField(const Object::Ptr& object, const std::string& name) {
  if (!object->has(name) || object->isNull(name)) return {};
  auto value = object->get(name);
  if (!value.isString()) throw Poco::JSON::JSONException("field " + name + " is not a string");
  return value.extract<std::string>();
}

std::optional<Secret> secretField(const Object::Ptr& object, const std::string& name) {
  if (!object->has(name) || object->isNull(name)) return std::nullopt;
  return Secret(stringField(object, name));
}

std::string stringify(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

std::string loginRequestToJson(const LoginRequest& request) {
  Object object;
  object.set("method", request.method);
  if (request.apiKey) object.set("api_key", request.apiKey->reveal());
  if (!request.user.empty()) object.set("user", request.user);
  if (request.password) object.set("password", request.password->reveal());
  if (request.clientSecret) object.set("client_secret", request.clientSecret->reveal());
  return stringify(object);
}

Result<LoginRequest> loginRequestFromJson(std::string_view body) {
  try {
    auto object = parse(body);
    LoginRequest request;
    request.method = stringField(object, "method");
    request.apiKey = secretField(object, "api_key");
    request.user = stringField(object, "user");
    request.password = secretField(object, "password");
    request.clientSecret = secretField(object, "client_secret");
    if (request.method.empty()) request.method = request.apiKey ? "api_key" : "";
    if (request.method != "api_key" && request.method != "basic" && request.method != "oauth") {
      return Error(ErrorCode::BadRequest, "\"method\" must be \"api_key\", \"basic\" or \"oauth\"");
    }
    if (request.method == "api_key" && (!request.apiKey || request.apiKey->empty())) {
      return Error(ErrorCode::BadRequest, "an api_key login needs a non-empty \"api_key\"");
    }
    if (request.method == "basic" &&
        (request.user.empty() || !request.password || request.password->empty())) {
      return Error(ErrorCode::BadRequest,
                   "a basic login needs \"user\" (the API user id) and a non-empty \"password\"");
    }
    return request;
  } catch (const std::exception&) {
    return Error(ErrorCode::BadRequest,
                 "the login body must be a JSON object with string fields (method, api_key, "
                 "user, password, client_secret)");
  }
}

std::string loginStartedToJson(const LoginStarted& started) {
  Object object;
  object.set("login_id", started.loginId);
  object.set("authorize_url", started.authorizeUrl);
  object.set("expires_at", started.expiresAt);
  return stringify(object);
}

Result<LoginStarted> loginStartedFromJson(std::string_view body) {
  try {
    auto object = parse(body);
    LoginStarted started{stringField(object, "login_id"), stringField(object, "authorize_url"),
                         stringField(object, "expires_at")};
    if (started.loginId.empty() || started.authorizeUrl.empty()) {
      return Error(ErrorCode::Internal, "wped's login answer lacks login_id or authorize_url");
    }
    return started;
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's login answer is not the expected JSON");
  }
}

std::string loginProgressToJson(const LoginProgress& progress) {
  std::string out = "{\"login_id\":" + jsonQuote(progress.loginId) +
                    ",\"profile\":" + jsonQuote(progress.profile) +
                    ",\"state\":" + jsonQuote(progress.state) + ",\"error\":";
  if (progress.error) {
    out += "{\"code\":" + jsonQuote(errorCodeName(progress.error->code)) +
           ",\"message\":" + jsonQuote(progress.error->message) + "}";
  } else {
    out += "null";
  }
  return out + "}";
}

Result<LoginProgress> loginProgressFromJson(std::string_view body) {
  try {
    auto object = parse(body);
    LoginProgress progress;
    progress.loginId = stringField(object, "login_id");
    progress.profile = stringField(object, "profile");
    progress.state = stringField(object, "state");
    if (object->has("error") && !object->isNull("error")) {
      auto error = object->getObject("error");
      if (error) {
        progress.error =
            Error(errorCodeFromName(stringField(error, "code")), stringField(error, "message"));
      }
    }
    if (progress.state.empty()) return Error(ErrorCode::Internal, "login answer lacks state");
    return progress;
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's login state is not the expected JSON");
  }
}

std::string tokenReplyToJson(const TokenReply& reply) {
  return "{\"access_token\":" + jsonQuote(reply.accessToken.reveal()) +
         ",\"token_type\":" + jsonQuote(reply.tokenType) + ",\"expires_at\":" +
         (reply.expiresAt.empty() ? std::string("null") : jsonQuote(reply.expiresAt)) +
         ",\"authorization\":" + jsonQuote(reply.authorization.reveal()) +
         ",\"api_url\":" + jsonQuote(reply.apiUrl) +
         (reply.password ? ",\"user\":" + jsonQuote(reply.user) +
                               ",\"password\":" + jsonQuote(reply.password->reveal())
                         : std::string()) +
         "}";
}

Result<TokenReply> tokenReplyFromJson(std::string_view body) {
  try {
    auto object = parse(body);
    TokenReply reply;
    reply.accessToken = Secret(stringField(object, "access_token"));
    reply.tokenType = stringField(object, "token_type");
    reply.expiresAt = stringField(object, "expires_at");
    reply.authorization = Secret(stringField(object, "authorization"));
    reply.apiUrl = stringField(object, "api_url");
    reply.user = stringField(object, "user");
    reply.password = secretField(object, "password");
    if (reply.accessToken.empty() || reply.authorization.empty()) {
      return Error(ErrorCode::Internal, "wped's token answer lacks the token");
    }
    return reply;
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's token answer is not the expected JSON");
  }
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
