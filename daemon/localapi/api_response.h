#pragma once
// ApiResponse: what a handler answers. The connection adds Content-Length, Connection and
// Date-free framing; handlers set status, content type, extra headers and the body.
// Build error answers with ApiResponse::error() so every error has the documented shape
// {"error":{"code":"…","message":"…"}} and the status that matches the code.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/secret.h"
#include "common/wire.h"
#include "daemon/cache/list_body.h"

namespace wpe {

struct ApiResponse {
  int status = 200;
  std::string contentType = "application/json";              // empty: no Content-Type is sent
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "30"}
  // "Cache-Control: no-store": the body holds a secret or a login's state. A flag, not one
  // more entry in `headers`: the token reply has it, and that vector would be an allocation
  // per request (issue 10).
  bool noStore = false;
  std::string body;
  // Instead of `body`: a body that is a secret kept elsewhere — the token reply, which lives
  // in its IssuedToken — sent from there and never copied into an ordinary string that would
  // be freed unwiped. Null otherwise.
  std::shared_ptr<const Secret> secretBody;
  // A list reply's array, sent after `body` and before `bodyTail` — with sendfile(2) when it
  // is a file — so that a list of 10,000 sites is answered without a copy. Null otherwise.
  std::shared_ptr<const ListBody> listBody;
  std::string bodyTail;

  std::size_t contentLength() const {
    return (secretBody ? secretBody->reveal().size() : body.size()) +
           (listBody ? listBody->size() : 0) + bodyTail.size();
  }

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
