#pragma once
// Controls: the test-only endpoints under /_sandbox/ (docs/sandbox.md), authenticated with
// `Authorization: Bearer <control_token>`. They queue faults, deny the next authorization,
// expire or revoke tokens, set latency, and read or reset counters. Thread-safe; every
// reference must outlive it.

#include <atomic>
#include <cstdint>

#include "tests/sandbox/counters.h"
#include "tests/sandbox/fault_injector.h"
#include "tests/sandbox/oauth_server.h"
#include "tests/sandbox/paging_quirks.h"
#include "tests/sandbox/reply.h"
#include "tests/sandbox/sandbox_credentials.h"
#include "tests/sandbox/sandbox_request.h"
#include "tests/sandbox/token_store.h"

namespace wpe {

class Controls {
 public:
  Controls(const SandboxCredentials& credentials, FaultInjector& faults, OAuthServer& oauth,
           TokenStore& tokens, Counters& counters, std::atomic<std::int64_t>& latencyMs,
           PagingQuirks* paging = nullptr)
      : credentials_(credentials),
        faults_(faults),
        oauth_(oauth),
        tokens_(tokens),
        counters_(counters),
        latencyMs_(latencyMs),
        paging_(paging) {}

  Reply handle(const SandboxRequest& request);

 private:
  Reply faults(const SandboxRequest& request);
  Reply authorize(const SandboxRequest& request);
  Reply tokens(const SandboxRequest& request);
  Reply tokenInfo(const SandboxRequest& request);
  Reply latency(const SandboxRequest& request);
  Reply paging(const SandboxRequest& request);

  const SandboxCredentials& credentials_;
  FaultInjector& faults_;
  OAuthServer& oauth_;
  TokenStore& tokens_;
  Counters& counters_;
  std::atomic<std::int64_t>& latencyMs_;
  PagingQuirks* paging_;
};

}  // namespace wpe
