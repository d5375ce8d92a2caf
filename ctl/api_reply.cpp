#include "ctl/api_reply.h"

#include "common/json_value.h"

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
  auto doc = JsonValue::parse(reply.body);
  if (!doc || !doc->isObject()) return false;  // not JSON at all: the API's answer
  const JsonValue& error = (*doc)["error"];
  if (!error.isObject()) return false;
  const JsonValue& code = error["code"];
  if (!code.isString() || !error["message"].isString()) return false;
  return errorCodeName(errorCodeFromName(code.text())) == code.text();
}

}  // namespace wpe::ctl
