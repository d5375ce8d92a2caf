#pragma once
// The local API's wire format for completing a pending OAuth login with a pasted address
// (headless login: the browser runs on another machine and cannot reach the loopback
// listener), defined once for wped and wpectl.
//
//   POST /v1/logins/{id}/callback  {"url":"http://127.0.0.1:PORT/callback?code=…&state=…"}
//
// The address carries the authorization code, so it is a Secret: revealed only when the body
// is built and when wped hands it to the LoginSession. fromJson never throws; a malformed body
// is BadRequest naming the field, never its value.

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"

namespace wpe {

struct LoginCallback {
  Secret url;
};
std::string loginCallbackToJson(const LoginCallback& callback);
Result<LoginCallback> loginCallbackFromJson(std::string_view body);

}  // namespace wpe
