#pragma once
// ApiResponse: what a handler answers. The connection adds Content-Length, Connection and
// Date-free framing; handlers set status, content type, extra headers and the body.
// Build error answers with ApiResponse::error() so every error has the documented shape
// {"error":{"code":"…","message":"…"}} and the status that matches the code.

#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/wire.h"

namespace wpe {

struct ApiResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "30"}
  std::string body;

  static ApiResponse json(int status, std::string body) {
    ApiResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static ApiResponse error(const Error& e) {
    ApiResponse r;
    r.status = httpStatusFor(e.code);
    r.body = errorToJson(e);
    // Marks wped's own errors, so a client of the passthrough can tell them from the API's
    // answers (which come back with their own status and body, unmarked).
    r.headers.emplace_back("X-Wped-Error", std::string(errorCodeName(e.code)));
    if (e.retryAfter) r.headers.emplace_back("Retry-After", std::to_string(e.retryAfter->count()));
    return r;
  }
  static ApiResponse error(ErrorCode code, std::string message) {
    return error(Error(code, std::move(message)));
  }
};

}  // namespace wpe
