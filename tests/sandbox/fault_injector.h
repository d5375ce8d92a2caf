#pragma once
// FaultInjector: queued misbehaviour for the next matching /v1 or /oauth requests.
// A fault matches on a path prefix, optionally the method and (for /oauth/token) the form's
// grant_type; it applies to its next `count` matches, first queued first. Actions:
//  - Respond: answer with status, optional Retry-After, body / content type / N-byte body.
//  - Drop: close the connection without answering.
//  - DropAfterProcessing: handle the request for real (e.g. rotate tokens), then drop.
// Thread-safe.

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/sandbox/reply.h"
#include "tests/sandbox/sandbox_request.h"

namespace wpe {

struct Fault {
  enum class Action { Respond, Drop, DropAfterProcessing };

  std::string pathPrefix = "/";
  std::optional<std::string> method;
  std::optional<std::string> grantType;
  int status = 503;
  int count = 1;
  std::optional<std::string> retryAfter;
  std::optional<std::string> body;
  std::optional<std::string> contentType;
  std::optional<std::size_t> bodyBytes;
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
  Action action = Action::Respond;

  // The reply a Respond fault sends.
  Reply reply() const;
};

class FaultInjector {
 public:
  void add(Fault fault);
  void clear();
  std::size_t pending() const;  // faults still queued
  // Consumes one use of the first matching fault.
  std::optional<Fault> take(const SandboxRequest& request);

 private:
  mutable std::mutex mutex_;
  std::deque<Fault> faults_;
};

}  // namespace wpe
