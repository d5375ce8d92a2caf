#pragma once
// Helpers for `wpectl api`: the request path it forwards and how to tell wped's own errors
// from the WP Engine API's answers. wped's errors have the {"error":{"code","message"}}
// shape with one of the local API's code names; the WP Engine API's errors are
// {"message":…}. (wped sends no header that says which; the shape is the signal.)

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unix_http_client.h"

namespace wpe::ctl {

// PATH as given ("/sites?limit=5", "sites") → "sites?limit=5". BadRequest for an empty
// path, an absolute URL, or spaces/control characters (they would break the request line).
Result<std::string> apiPath(std::string_view path);

// True when a non-2xx answer is wped's own error rather than the API's.
bool isWpedError(const HttpReply& reply);

}  // namespace wpe::ctl
