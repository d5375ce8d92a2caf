#include "common/login_callback_wire.h"

#include "common/json_value.h"
#include "common/json_writer.h"

namespace wpe {

std::string loginCallbackToJson(const LoginCallback& callback) {
  JsonWriter w;
  w.beginObject().key("url").string(callback.url.reveal()).endObject();
  return w.take();
}

Result<LoginCallback> loginCallbackFromJson(std::string_view body) {
  Error bad(ErrorCode::BadRequest,
            "the body must be a JSON object with \"url\": the address the browser ended on");
  auto object = JsonValue::parse(body);
  if (!object || !object->isObject()) return bad;
  const JsonValue& url = (*object)["url"];
  if (!url.isString() || url.text().empty()) return bad;
  return LoginCallback{Secret(url.text())};
}

}  // namespace wpe
