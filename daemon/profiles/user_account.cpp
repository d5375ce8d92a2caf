#include "daemon/profiles/user_account.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "common/log_escape.h"

namespace wpe {
namespace {

// 200: longer than any real address or name; a hostile API answer stays one status line.
constexpr std::size_t kMaxField = 200;

std::string field(const Poco::JSON::Object::Ptr& object, const char* key) {
  if (!object->has(key) || !object->get(key).isString()) return {};
  return escapeForLog(object->getValue<std::string>(key), kMaxField);
}

}  // namespace

std::optional<UserAccount> UserAccount::fromUserJson(const std::string& body) {
  if (body.empty() || body.size() > (64u << 10)) return std::nullopt;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!object) return std::nullopt;
    UserAccount account;
    account.email = field(object, "email");
    std::string first = field(object, "first_name");
    std::string last = field(object, "last_name");
    account.name = first + (first.empty() || last.empty() ? "" : " ") + last;
    if (account.email.empty() && account.name.empty()) return std::nullopt;
    return account;
  } catch (const std::exception&) {
    return std::nullopt;  // not the object the API documents: no account shown
  }
}

}  // namespace wpe
