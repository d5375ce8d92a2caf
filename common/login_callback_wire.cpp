#include "common/login_callback_wire.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wpe {

std::string loginCallbackToJson(const LoginCallback& callback) {
  Poco::JSON::Object object;
  object.set("url", callback.url.reveal());
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Result<LoginCallback> loginCallbackFromJson(std::string_view body) {
  Error bad(ErrorCode::BadRequest,
            "the body must be a JSON object with \"url\": the address the browser ended on");
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(std::string(body)).extract<Poco::JSON::Object::Ptr>();
    if (!object || !object->has("url")) return bad;
    auto value = object->get("url");
    if (!value.isString()) return bad;
    LoginCallback callback{Secret(value.extract<std::string>())};
    if (callback.url.empty()) return bad;
    return callback;
  } catch (const std::exception&) {
    return bad;
  }
}

}  // namespace wpe
