#pragma once
// RequestRouter: the POCO handler factory in front of everything. For each request it reads
// the body (capped at 1 MiB), routes /_sandbox/ to Controls untouched, and for /v1 and the
// OAuth endpoints (where OAuthEndpoints puts them)
// applies the configured latency, the next matching fault, the handler, the counters, and
// finally writes the Reply or drops the connection. Thread-safe; all references must outlive
// the HTTPServer that owns this factory.

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <cstdint>

#include "tests/sandbox/api_handlers.h"
#include "tests/sandbox/controls.h"
#include "tests/sandbox/counters.h"
#include "tests/sandbox/fault_injector.h"
#include "tests/sandbox/oauth_endpoints.h"
#include "tests/sandbox/oauth_server.h"

namespace wpe {

class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  RequestRouter(ApiHandlers& api, OAuthServer& oauth, OAuthEndpoints endpoints, Controls& controls,
                FaultInjector& faults, Counters& counters, std::atomic<std::int64_t>& latencyMs,
                Poco::Logger& logger)
      : api_(api),
        oauth_(oauth),
        endpoints_(std::move(endpoints)),
        controls_(controls),
        faults_(faults),
        counters_(counters),
        latencyMs_(latencyMs),
        logger_(logger) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override;

  // Serves one request; never throws.
  void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

 private:
  Reply dispatch(const SandboxRequest& request);
  void send(const Reply& reply, Poco::Net::HTTPServerResponse& response);
  void drop(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  ApiHandlers& api_;
  OAuthServer& oauth_;
  const OAuthEndpoints endpoints_;
  Controls& controls_;
  FaultInjector& faults_;
  Counters& counters_;
  std::atomic<std::int64_t>& latencyMs_;
  Poco::Logger& logger_;
};

}  // namespace wpe
