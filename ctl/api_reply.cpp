#include "ctl/api_reply.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace wpe::ctl {

Result<std::string> apiPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return Error(ErrorCode::BadRequest, "PATH is empty; e.g. `wpectl api /sites`");
  if (path.find("://") != std::string_view::npos) {
    return Error(ErrorCode::BadRequest,
                 "PATH is relative to the profile's api_url (e.g. /sites), not a URL");
  }
  for (unsigned char c : path) {
    if (c <= 0x20 || c == 0x7F) {
      return Error(ErrorCode::BadRequest,
                   "PATH must not contain spaces or control characters (percent-encode them)");
    }
  }
  return std::string(path);
}

bool isWpedError(const HttpReply& reply) {
  if (reply.status < 400) return false;
  if (!reply.header("x-wped-error").empty()) return true;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    if (!object || !object->has("error") || object->isNull("error")) return false;
    auto error = object->getObject("error");
    if (!error || !error->has("code") || !error->has("message")) return false;
    auto code = error->get("code");
    if (!code.isString() || !error->get("message").isString()) return false;
    std::string name = code.extract<std::string>();
    return errorCodeName(errorCodeFromName(name)) == name;
  } catch (const std::exception&) {
    return false;  // not JSON at all: the API's answer
  }
}

}  // namespace wpe::ctl
