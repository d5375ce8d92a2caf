#include "daemon/auth/token_response_parser.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <strings.h>

#include <string>

#include "common/credential_text.h"
#include "common/log_escape.h"

namespace wpe {

namespace {

TokenFailure finalFailure(std::string message, int status = 0) {
  TokenFailure f;
  f.kind = TokenFailureKind::Final;
  f.message = std::move(message);
  f.httpStatus = status;
  return f;
}

// A token goes into an Authorization header and to `wpectl token`: one that breaks the
// credential rule (a CRLF could add headers or a second request) is refused unquoted.
std::optional<TokenFailure> unsafeToken(const char* field, const std::string& value) {
  auto problem = credentialTextProblem(value);
  if (!problem) return std::nullopt;
  return finalFailure(std::string("the ") + field + " in the token endpoint answer " + *problem +
                      "; it was refused and nothing was stored");
}

// The body as a JSON object, or null. Parse errors are swallowed on purpose: the caller
// reports "not JSON" without echoing the body (Poco's messages quote the input).
Poco::JSON::Object::Ptr parseObject(std::string_view body) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(std::string(body));
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

TokenOutcome TokenResponseParser::parseSuccess(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return TokenOutcome::fail(finalFailure("the token endpoint answer is larger than 64 KiB"));
  }
  auto obj = parseObject(body);
  if (!obj) {
    return TokenOutcome::fail(finalFailure("the token endpoint answer is not a JSON object"));
  }
  try {
    TokenResponse t;
    if (!obj->has("access_token") || !obj->get("access_token").isString() ||
        obj->get("access_token").extract<std::string>().empty()) {
      return TokenOutcome::fail(finalFailure("the token endpoint answer has no access_token"));
    }
    if (!obj->has("token_type") || !obj->get("token_type").isString() ||
        strcasecmp(obj->get("token_type").extract<std::string>().c_str(), "bearer") != 0) {
      std::string got = obj->has("token_type") && obj->get("token_type").isString()
                            ? escapeForLog(obj->get("token_type").extract<std::string>(), 40)
                            : std::string("none");
      return TokenOutcome::fail(
          finalFailure("the token endpoint issued token_type " + got + ", not bearer"));
    }
    if (obj->has("expires_in") && !obj->get("expires_in").isEmpty()) {
      Poco::Dynamic::Var v = obj->get("expires_in");
      if (!v.isInteger()) {
        return TokenOutcome::fail(finalFailure("expires_in in the token answer is not an integer"));
      }
      const Poco::Int64 secs = v.convert<Poco::Int64>();
      if (secs < 1 || secs > kMaxExpiresIn.count()) {
        return TokenOutcome::fail(finalFailure("expires_in in the token answer is out of range (" +
                                               std::to_string(secs) + ")"));
      }
      t.expiresIn = std::chrono::seconds(secs);
    } else {
      t.expiresIn = kDefaultExpiresIn;
    }
    std::string access = obj->get("access_token").extract<std::string>();
    if (auto bad = unsafeToken("access_token", access)) return TokenOutcome::fail(*bad);
    t.accessToken = Secret(std::move(access));
    if (obj->has("refresh_token")) {
      Poco::Dynamic::Var r = obj->get("refresh_token");
      if (!r.isEmpty()) {
        if (!r.isString()) {
          return TokenOutcome::fail(
              finalFailure("refresh_token in the token answer is not a string"));
        }
        std::string value = r.extract<std::string>();
        if (!value.empty()) {
          if (auto bad = unsafeToken("refresh_token", value)) return TokenOutcome::fail(*bad);
          t.refreshToken = Secret(std::move(value));
        }
      }
    }
    if (obj->has("scope") && obj->get("scope").isString()) {
      t.scope = obj->get("scope").extract<std::string>();
    }
    return TokenOutcome::success(std::move(t));
  } catch (const Poco::Exception& e) {
    return TokenOutcome::fail(
        finalFailure(std::string("the token answer is malformed (") + e.className() + ")"));
  }
}

TokenFailure TokenResponseParser::parseError(int httpStatus, std::string_view body) {
  const std::string statusText = "HTTP " + std::to_string(httpStatus);
  if (body.size() > kMaxBodyBytes) {
    return finalFailure("the token endpoint answered " + statusText + " with an oversized body",
                        httpStatus);
  }
  auto obj = parseObject(body);
  if (!obj || !obj->has("error") || !obj->get("error").isString()) {
    return finalFailure("the token endpoint answered " + statusText +
                            (obj ? " without an OAuth error" : " with a non-JSON body"),
                        httpStatus);
  }
  TokenFailure f;
  f.kind = TokenFailureKind::OAuthError;
  f.httpStatus = httpStatus;
  try {
    f.oauthError = escapeForLog(obj->get("error").extract<std::string>(), 64);
    std::string description;
    if (obj->has("error_description") && obj->get("error_description").isString()) {
      description = obj->get("error_description").extract<std::string>();
    }
    f.message = "the authorization server said " + f.oauthError;
    if (!description.empty()) f.message += ": " + escapeForLog(description);
  } catch (const Poco::Exception& e) {
    f.message =
        std::string("the authorization server answered a malformed error (") + e.className() + ")";
  }
  return f;
}

}  // namespace wpe
