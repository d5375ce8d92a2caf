#pragma once
// Error values that cross module boundaries (and the socket) instead of exceptions.
// The code names are part of the public contract (docs/interface.md "Error codes"): they appear as
// {"error":{"code":"…","message":"…"}} on the local API and map to wpectl's exit codes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wpe {

enum class ErrorCode {
  BadRequest,           // 400: the caller sent something malformed
  NotFound,             // 404
  MethodNotAllowed,     // 405
  Conflict,             // 409: e.g. a login already pending
  RequestTimeout,       // 408
  PayloadTooLarge,      // 413
  UriTooLong,           // 414
  HeadersTooLarge,      // 431
  LoginRequired,        // 401 on the local API: no usable credential; run `wpectl login`
  KeyringUnavailable,   // 503: no Secret Service on the session bus (or it timed out)
  KeyringLocked,        // 503: the collection is locked; unlock it and retry
  UpstreamUnreachable,  // 502: connect/TLS/read failure talking to the WP Engine API
  UpstreamError,        // 502: the API answered with an error status
  RateLimited,          // 429: the API said 429 and retries ran out
  Unavailable,          // 503: the daemon cannot do it now (e.g. shutting down)
  ConfigError,          // 503: wped's config file does not load; fix it and `wpectl reload`
  CacheUnavailable,     // 503: the site cache cannot be used (refused file, I/O error); lists
                        //      fail, tokens and the passthrough work; retried at the next sync
  CacheFull,            // 507: the cache's filesystem (or its size cap) is full; free space
  Internal,             // 500: a bug; the message says where
};

// "bad_request", "login_required", … (stable, documented names).
std::string_view errorCodeName(ErrorCode code);
// The inverse, for clients; unknown names map to Internal.
ErrorCode errorCodeFromName(std::string_view name);
// The HTTP status the local API answers with for this code.
int httpStatusFor(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;     // what happened and what to do next; never a secret
  int upstreamStatus = 0;  // the API's status, when it answered
  std::optional<std::chrono::seconds> retryAfter;  // from the API's Retry-After, if any

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}
};

}  // namespace wpe
