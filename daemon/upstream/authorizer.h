#pragma once
// Authorizer: how a profile's requests get their Authorization header. The sync and the API
// passthrough only ever talk to this; they do not know the auth kind.
//  - api_key / basic: a fixed value built from the keyring secret (StaticAuthorizer).
//  - oauth: the token manager — refreshes first when less than minValid remains, single
//    flight, never hands out an expired token.
// Thread-safe; may block for a bounded time (a refresh, a keyring read).

#include <chrono>

#include "common/result.h"
#include "common/secret.h"

namespace wpe {

class Authorizer {
 public:
  virtual ~Authorizer() = default;

  // The whole Authorization value ("ApiKey …", "Basic …", "Bearer …") valid for at least
  // minValid, or for as long as the server's tokens allow when they live shorter (OAuth caps
  // minValid at the refresh lead). LoginRequired when there is no usable credential.
  virtual Result<Secret> authorization(std::chrono::seconds minValid) = 0;

  // The API answered 401 to a request sent with `rejected`. OAuth: refresh once (unless
  // another caller already did) and return the new value, so the caller retries exactly
  // once. Static kinds: LoginRequired (the stored key or password is no longer accepted).
  virtual Result<Secret> afterUnauthorized(const Secret& rejected) = 0;
};

}  // namespace wpe
