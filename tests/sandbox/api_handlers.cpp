#include "tests/sandbox/api_handlers.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <regex>

#include "tests/sandbox/pagination.h"

namespace wpe {
namespace {

constexpr std::size_t kMaxSiteName = 40;

Reply validationError(const std::string& message, const std::string& resource,
                      const std::string& field, const std::string& type, const std::string& code,
                      const std::string& detail) {
  return Reply::json(400, "{\"message\":" + json::quote(message) + ",\"errors\":[{\"resource\":" +
                              json::quote(resource) + ",\"field\":" + json::quote(field) +
                              ",\"type\":" + json::quote(type) + ",\"code\":" + json::quote(code) +
                              ",\"message\":" + json::quote(detail) + "}]}");
}

// The body as a JSON object, or nullptr (then the caller answers 400).
Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<std::string> stringField(const Poco::JSON::Object::Ptr& object,
                                       const std::string& name) {
  if (!object->has(name)) return std::nullopt;
  const auto value = object->get(name);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

Reply invalidJson() { return Reply::message(400, "Invalid request body: expected a JSON object"); }

}  // namespace

Reply ApiHandlers::handle(const SandboxRequest& request) {
  std::string path = request.path;
  if (path.size() > 4 && path.back() == '/') path.pop_back();
  if (path == "/v1/status") {
    if (request.method != "GET") return Reply::message(405, "Method Not Allowed");
    return Reply::json(
        200, "{\"success\":true,\"created_on\":\"" +
                 Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S+00:00") +
                 "\"}");
  }
  if (auto denied = authenticator_.check(request)) return *denied;

  const std::string rest = path.substr(3);  // after "/v1"
  auto segment = [&](const std::string& prefix) -> std::optional<std::string> {
    if (rest.rfind(prefix + "/", 0) != 0) return std::nullopt;
    std::string id = rest.substr(prefix.size() + 1);
    if (id.empty() || id.find('/') != std::string::npos) return std::nullopt;
    return id;
  };
  if (rest == "/user")
    return request.method == "GET" ? Reply::json(200, data_.userJson())
                                   : Reply::message(405, "Method Not Allowed");
  if (rest == "/accounts")
    return request.method == "GET" ? list(request, "accounts")
                                   : Reply::message(405, "Method Not Allowed");
  if (auto id = segment("/accounts")) {
    if (request.method != "GET") return Reply::message(405, "Method Not Allowed");
    auto account = data_.account(*id);
    return account ? Reply::json(200, *account) : Reply::notFound();
  }
  if (rest == "/sites") {
    if (request.method == "GET") return list(request, "sites");
    if (request.method == "POST") return createSite(request);
    return Reply::message(405, "Method Not Allowed");
  }
  if (auto id = segment("/sites")) return sites(request, *id);
  if (rest == "/installs") {
    if (request.method == "GET") return list(request, "installs");
    if (request.method == "POST") return createInstall(request);
    return Reply::message(405, "Method Not Allowed");
  }
  if (auto id = segment("/installs")) return installs(request, *id);
  return Reply::notFound();
}

Reply ApiHandlers::list(const SandboxRequest& request, const std::string& collection) {
  auto page = Pagination::parse(request);
  if (!page) return Reply::message(400, page.error().message);
  const PagingSettings quirks = paging_ ? paging_->forList(collection) : PagingSettings{};
  page->limit = PagingQuirks::pageLimit(quirks, page->offset, page->limit);
  const auto account = request.queryParam("account_id");
  DataSet::Page result;
  if (collection == "accounts")
    result = data_.accounts(page->offset, page->limit);
  else if (collection == "sites")
    result = data_.sites(account, page->offset, page->limit);
  else
    result = data_.installs(account, page->offset, page->limit);
  if (quirks.padBytes > 0) {
    for (auto& item : result.items) item = PagingQuirks::pad(item, quirks.padBytes);
  }
  Reply reply = Reply::json(200, page->envelope(origin_ + "/v1/" + collection, request.query,
                                                quirks.count.value_or(result.total), result.items));
  reply.chunked = quirks.chunked;
  return reply;
}

Reply ApiHandlers::sites(const SandboxRequest& request, const std::string& id) {
  if (request.method == "GET") {
    auto site = data_.site(id);
    return site ? Reply::json(200, *site) : Reply::notFound();
  }
  if (request.method == "PATCH") return renameSite(request, id);
  if (request.method == "DELETE")
    return data_.deleteSite(id) ? Reply::noContent() : Reply::notFound();
  return Reply::message(405, "Method Not Allowed");
}

Reply ApiHandlers::installs(const SandboxRequest& request, const std::string& id) {
  if (request.method == "GET") {
    auto install = data_.install(id);
    return install ? Reply::json(200, *install) : Reply::notFound();
  }
  if (request.method == "DELETE")
    return data_.deleteInstall(id) ? Reply::noContent() : Reply::notFound();
  return Reply::message(405, "Method Not Allowed");
}

Reply ApiHandlers::createSite(const SandboxRequest& request) {
  auto body = parseObject(request.body);
  if (!body) return invalidJson();
  const auto name = stringField(body, "name");
  if (!name || name->empty())
    return validationError("Invalid Site: Name cannot be empty.", "Site", "name", "invalid_value",
                           "required", "Name is required");
  if (name->size() > kMaxSiteName)
    return validationError("Invalid Site: Name is too long.", "Site", "name", "invalid_value",
                           "too_long", "Name is too long (maximum is 40 characters)");
  const auto accountId = stringField(body, "account_id");
  if (!accountId || accountId->empty())
    return validationError("Invalid Site: account_id is required.", "Site", "account_id",
                           "invalid_value", "required", "account_id is required");
  auto created = data_.createSite(*name, *accountId);
  if (!created)
    return validationError("Invalid Site: account not found.", "Site", "account_id",
                           "invalid_value", "not_found", "No account with this id");
  return Reply::json(201, *created);
}

Reply ApiHandlers::renameSite(const SandboxRequest& request, const std::string& id) {
  auto body = parseObject(request.body);
  if (!body) return invalidJson();
  const auto name = stringField(body, "name");
  if (!name || name->empty())
    return validationError("Invalid Site: Name cannot be empty.", "Site", "name", "invalid_value",
                           "required", "Name is required");
  if (name->size() > kMaxSiteName)
    return validationError("Invalid Site: Name is too long.", "Site", "name", "invalid_value",
                           "too_long", "Name is too long (maximum is 40 characters)");
  auto renamed = data_.renameSite(id, *name);
  return renamed ? Reply::json(200, *renamed) : Reply::notFound();
}

Reply ApiHandlers::createInstall(const SandboxRequest& request) {
  static const std::regex kNamePattern("^[a-z][a-z0-9]{2,13}$");
  auto body = parseObject(request.body);
  if (!body) return invalidJson();
  const auto name = stringField(body, "name");
  if (!name || !std::regex_match(*name, kNamePattern))
    return validationError("Invalid Install: name must match ^[a-z][a-z0-9]{2,13}$.", "Install",
                           "name", "invalid_value", "invalid", "Name is invalid");
  const auto accountId = stringField(body, "account_id").value_or("");
  const auto siteId = stringField(body, "site_id").value_or("");
  const auto environment = stringField(body, "environment").value_or("");
  if (environment != "production" && environment != "staging" && environment != "development")
    return validationError(
        "Invalid Install: environment must be production, staging or development.", "Install",
        "environment", "invalid_value", "invalid", "Environment is invalid");
  auto created = data_.createInstall(*name, accountId, siteId, environment);
  if (!created) {
    if (created.error().code == ErrorCode::Conflict)
      return validationError("Invalid Install: name is taken.", "Install", "name",
                             "value_unavailable", "taken", "Name has already been taken");
    const std::string field = created.error().message;
    return validationError("Invalid Install: " + field + " not found.", "Install", field,
                           "invalid_value", "not_found", "No such " + field);
  }
  return Reply::json(201, *created);
}

}  // namespace wpe
