#include "tests/sandbox/fault_injector.h"

#include <Poco/Net/HTTPResponse.h>

namespace wpe {

Reply Fault::reply() const {
  Reply reply;
  reply.status = status;
  if (bodyBytes) {
    // A valid JSON document of exactly N bytes when N allows, so clients must enforce a size
    // cap rather than rely on a parse error.
    constexpr std::string_view kHead = "{\"padding\":\"";
    constexpr std::string_view kTail = "\"}";
    if (*bodyBytes >= kHead.size() + kTail.size()) {
      reply.body.reserve(*bodyBytes);
      reply.body = kHead;
      reply.body.append(*bodyBytes - kHead.size() - kTail.size(), 'x');
      reply.body += kTail;
    } else {
      reply.body.assign(*bodyBytes, 'x');
    }
  } else if (body) {
    reply.body = *body;
  } else {
    reply.body = json::message(Poco::Net::HTTPResponse::getReasonForStatus(
        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)));
  }
  if (contentType) reply.contentType = *contentType;
  if (retryAfter) reply.header("Retry-After", *retryAfter);
  for (const auto& [name, value] : headers) reply.header(name, value);
  return reply;
}

void FaultInjector::add(Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::size_t FaultInjector::pending() const {
  std::lock_guard lock(mutex_);
  return faults_.size();
}

std::optional<Fault> FaultInjector::take(const SandboxRequest& request) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (request.path.rfind(it->pathPrefix, 0) != 0) continue;
    if (it->method && *it->method != request.method) continue;
    if (it->grantType && request.formParam("grant_type") != it->grantType) continue;
    Fault fault = *it;
    if (--it->count <= 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

}  // namespace wpe
