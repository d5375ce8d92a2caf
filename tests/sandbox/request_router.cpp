#include "tests/sandbox/request_router.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <chrono>
#include <thread>

#include "tests/sandbox/json_text.h"

namespace wpe {
namespace {

constexpr std::size_t kMaxBody = 1024 * 1024;

// POCO wants one handler object per request; it only forwards to the router.
class ForwardingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ForwardingHandler(RequestRouter& router) : router_(router) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    router_.serve(request, response);
  }

 private:
  RequestRouter& router_;
};

// Fills `out` from POCO's request; returns the error reply when the request is unusable.
std::optional<Reply> readRequest(Poco::Net::HTTPServerRequest& in, SandboxRequest& out) {
  out.method = in.getMethod();
  try {
    Poco::URI uri(in.getURI());
    out.path = uri.getPath();
    out.rawQuery = uri.getRawQuery();
  } catch (const Poco::Exception&) {
    return Reply::message(400, "Malformed request target");
  }
  out.query = SandboxRequest::parseUrlEncoded(out.rawQuery);
  out.authorization = in.get("Authorization", "");
  out.contentType = in.get("Content-Type", "");
  if (in.hasContentLength() && in.getContentLength64() > static_cast<std::int64_t>(kMaxBody))
    return Reply::message(413, "Request body too large");
  std::istream& body = in.stream();
  char buffer[16384];
  while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
    out.body.append(buffer, static_cast<std::size_t>(body.gcount()));
    if (out.body.size() > kMaxBody) return Reply::message(413, "Request body too large");
  }
  return std::nullopt;
}

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ForwardingHandler(*this);  // POCO's HTTPServerConnection takes ownership
}

Reply RequestRouter::dispatch(const SandboxRequest& request) {
  const std::string& path = request.path;
  if (path == "/v1" || path.rfind("/v1/", 0) == 0) return api_.handle(request);
  const auto which = endpoints_.match(path);
  if (which != OAuthEndpoints::Which::None && !endpoints_.hasRequiredParam(request)) {
    // The parameter is part of the published endpoint URL: a client that lost it did not use
    // the endpoint as given (RFC 6749 §3.1).
    return Reply::json(
        400, "{\"error\":\"invalid_request\",\"error_description\":" +
                 json::quote("this endpoint's URL carries " + endpoints_.requiredParamText() +
                             " in its query; use the URL exactly as published") +
                 "}");
  }
  switch (which) {
    case OAuthEndpoints::Which::Authorize:
      return oauth_.authorize(request);
    case OAuthEndpoints::Which::Token:
      return oauth_.token(request);
    case OAuthEndpoints::Which::Revoke:
      return oauth_.revoke(request);
    case OAuthEndpoints::Which::None:
      break;
  }
  if (auto target = endpoints_.slashRedirect(request)) {
    Reply reply = Reply::message(301, "Moved Permanently");
    reply.header("Location", *target);
    return reply;
  }
  return Reply::notFound();
}

void RequestRouter::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  try {
    SandboxRequest in;
    if (auto bad = readRequest(request, in)) {
      response.setKeepAlive(false);
      send(*bad, response);
      return;
    }
    if (in.path == "/_sandbox" || in.path.rfind("/_sandbox/", 0) == 0) {
      send(controls_.handle(in), response);
      return;
    }
    // Counted in flight from here to the answer sent, however this scope is left.
    struct InFlight {
      Counters& counters;
      explicit InFlight(Counters& c) : counters(c) { counters.beginRequest(); }
      ~InFlight() { counters.endRequest(); }
    } inFlight(counters_);
    if (const auto delay = latencyMs_.load(); delay > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));  // the feature: slow answers

    const auto fault = faults_.take(in);
    Reply reply;
    bool dropping = false;
    if (fault && fault->action == Fault::Action::Respond) {
      reply = fault->reply();
    } else if (fault && fault->action == Fault::Action::Drop) {
      dropping = true;
    } else {
      reply = dispatch(in);
      dropping = fault.has_value();  // DropAfterProcessing: the work is done, the answer is lost
    }
    counters_.recordRequest(in.method, in.path,
                            dropping ? "dropped" : std::to_string(reply.status));
    if (logger_.debug())
      logger_.debug("%s %s %s", in.method, in.path,
                    dropping ? std::string("dropped") : std::to_string(reply.status));
    if (dropping)
      drop(request, response);
    else
      send(reply, response);
  } catch (const std::exception& e) {
    logger_.error("request failed: %s", std::string(e.what()));
    if (!response.sent()) {
      response.setKeepAlive(false);
      send(Reply::message(500, "An unexpected error occurred, please try again in a few minutes"),
           response);
    }
  }
}

void RequestRouter::send(const Reply& reply, Poco::Net::HTTPServerResponse& response) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  if (!reply.contentType.empty()) response.setContentType(reply.contentType);
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  if (reply.status == 204 || reply.status == 304) {
    response.send();
    return;
  }
  if (reply.chunked) {
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    out.write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
    return;
  }
  response.sendBuffer(reply.body.data(), reply.body.size());
}

void RequestRouter::drop(Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response) {
  // No response bytes are written; with keep-alive off, POCO closes the connection when the
  // handler returns. Shutting the socket down first makes the client see EOF at once.
  response.setKeepAlive(false);
  try {
    static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
  } catch (const Poco::Exception& e) {
    logger_.debug("shutdown for a dropped connection failed: %s", e.displayText());
  }
}

}  // namespace wpe
