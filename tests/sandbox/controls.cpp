#include "tests/sandbox/controls.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace wpe {
namespace {

constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

// The body as a JSON object (an empty body is an empty object), or nullptr.
Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos)
    return new Poco::JSON::Object;  // owned by Ptr
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

Reply badRequest(const std::string& text) { return Reply::message(400, text); }

Result<Fault> faultFrom(const Poco::JSON::Object& object) {
  Fault fault;
  try {
    if (object.has("path")) fault.pathPrefix = object.getValue<std::string>("path");
    if (object.has("method")) fault.method = object.getValue<std::string>("method");
    if (object.has("grant_type")) fault.grantType = object.getValue<std::string>("grant_type");
    if (object.has("status")) fault.status = object.getValue<int>("status");
    if (object.has("count")) fault.count = object.getValue<int>("count");
    if (object.has("retry_after"))
      fault.retryAfter = object.get("retry_after").convert<std::string>();
    if (object.has("body")) fault.body = object.getValue<std::string>("body");
    if (object.has("content_type"))
      fault.contentType = object.getValue<std::string>("content_type");
    if (object.has("body_bytes")) {
      const auto bytes = object.getValue<std::int64_t>("body_bytes");
      if (bytes < 0 || static_cast<std::size_t>(bytes) > kMaxBodyBytes)
        return Error(ErrorCode::BadRequest, "body_bytes must be from 0 to 67108864");
      fault.bodyBytes = static_cast<std::size_t>(bytes);
    }
    if (object.has("headers")) {
      const auto headers = object.getObject("headers");
      if (!headers) return Error(ErrorCode::BadRequest, "headers must be an object of strings");
      for (const auto& name : headers->getNames())
        fault.headers.emplace_back(name, headers->getValue<std::string>(name));
    }
    const std::string action =
        object.has("action") ? object.getValue<std::string>("action") : "respond";
    if (action == "respond")
      fault.action = Fault::Action::Respond;
    else if (action == "drop")
      fault.action = Fault::Action::Drop;
    else if (action == "drop_after_processing")
      fault.action = Fault::Action::DropAfterProcessing;
    else
      return Error(ErrorCode::BadRequest, "action must be respond, drop or drop_after_processing");
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::BadRequest, "bad fault field: " + e.displayText());
  }
  if (fault.status < 100 || fault.status > 599)
    return Error(ErrorCode::BadRequest, "status must be 100-599");
  if (fault.count < 1) return Error(ErrorCode::BadRequest, "count must be at least 1");
  if (fault.pathPrefix.empty()) fault.pathPrefix = "/";
  return fault;
}

std::string queued(std::size_t n) { return "{\"queued\":" + std::to_string(n) + "}"; }

}  // namespace

Reply Controls::handle(const SandboxRequest& request) {
  if (request.authorization != "Bearer " + credentials_.controlToken)
    return Reply::message(401, "Bad Credentials");
  const std::string& path = request.path;
  if (path == "/_sandbox/faults") return faults(request);
  if (path == "/_sandbox/authorize") return authorize(request);
  if (path == "/_sandbox/tokens") return tokens(request);
  if (path == "/_sandbox/token-info") return tokenInfo(request);
  if (path == "/_sandbox/latency") return latency(request);
  if (path == "/_sandbox/paging" && paging_) return paging(request);
  if (path == "/_sandbox/counters" && request.method == "GET")
    return Reply::json(200, counters_.toJson());
  if (path == "/_sandbox/counters/reset" && request.method == "POST") {
    counters_.reset();
    return Reply::json(200, counters_.toJson());
  }
  return Reply::notFound();
}

Reply Controls::faults(const SandboxRequest& request) {
  if (request.method == "GET") return Reply::json(200, queued(faults_.pending()));
  if (request.method == "DELETE") {
    faults_.clear();
    return Reply::json(200, queued(0));
  }
  if (request.method != "POST") return Reply::message(405, "Method Not Allowed");
  auto object = parseObject(request.body);
  if (!object) return badRequest("expected a JSON object");
  auto fault = faultFrom(*object);
  if (!fault) return badRequest(fault.error().message);
  faults_.add(std::move(*fault));
  return Reply::json(200, queued(faults_.pending()));
}

Reply Controls::authorize(const SandboxRequest& request) {
  if (request.method != "POST") return Reply::message(405, "Method Not Allowed");
  auto object = parseObject(request.body);
  if (!object) return badRequest("expected a JSON object");
  bool deny = true;
  std::string description = "The user denied access.";
  try {
    deny = object->optValue<bool>("deny", true);
    description = object->optValue<std::string>("error_description", description);
  } catch (const Poco::Exception&) {
    return badRequest("deny must be a boolean and error_description a string");
  }
  oauth_.denyNextAuthorize(deny ? std::optional<std::string>(description) : std::nullopt);
  return Reply::json(200, std::string("{\"deny_next\":") + (deny ? "true" : "false") + "}");
}

Reply Controls::tokens(const SandboxRequest& request) {
  if (request.method == "GET") {
    const auto s = tokens_.stats();
    return Reply::json(200,
                       "{\"valid_access_tokens\":" + std::to_string(s.validAccessTokens) +
                           ",\"expired_access_tokens\":" + std::to_string(s.expiredAccessTokens) +
                           ",\"revoked_access_tokens\":" + std::to_string(s.revokedAccessTokens) +
                           ",\"active_refresh_tokens\":" + std::to_string(s.activeRefreshTokens) +
                           ",\"grants\":" + std::to_string(s.grants) +
                           ",\"revoked_grants\":" + std::to_string(s.revokedGrants) + "}");
  }
  if (request.method != "POST") return Reply::message(405, "Method Not Allowed");
  auto object = parseObject(request.body);
  if (!object) return badRequest("expected a JSON object");
  const std::string action = object->optValue<std::string>("action", "");
  if (action == "expire")
    tokens_.expireAllAccessTokens();
  else if (action == "revoke")
    tokens_.revokeAllGrants();
  else
    return badRequest("action must be expire or revoke");
  return Reply::json(200, "{\"done\":" + json::quote(action) + "}");
}

Reply Controls::tokenInfo(const SandboxRequest& request) {
  std::optional<std::string> token = request.queryParam("token");
  if (request.method == "POST") {
    auto object = parseObject(request.body);
    if (!object) return badRequest("expected a JSON object");
    if (object->has("token")) token = object->optValue<std::string>("token", "");
  }
  if (!token) return badRequest("token is required");
  return Reply::json(
      200, std::string("{\"active\":") + (tokens_.active(*token) ? "true" : "false") + "}");
}

Reply Controls::latency(const SandboxRequest& request) {
  if (request.method == "POST") {
    auto object = parseObject(request.body);
    if (!object) return badRequest("expected a JSON object");
    std::int64_t ms = -1;
    try {
      ms = object->optValue<std::int64_t>("ms", -1);
    } catch (const Poco::Exception&) {
      ms = -1;
    }
    if (ms < 0 || ms > 600000) return badRequest("ms must be an integer from 0 to 600000");
    latencyMs_.store(ms);
  } else if (request.method != "GET") {
    return Reply::message(405, "Method Not Allowed");
  }
  return Reply::json(200, "{\"ms\":" + std::to_string(latencyMs_.load()) + "}");
}

Reply Controls::paging(const SandboxRequest& request) {
  if (request.method == "POST") {
    auto set = paging_->set(request.body);
    if (!set) return badRequest(set.error().message);
    return Reply::json(200, set->toJson());
  }
  if (request.method != "GET") return Reply::message(405, "Method Not Allowed");
  return Reply::json(200, paging_->get().toJson());
}

}  // namespace wpe
