#pragma once
// ProfileServices: the daemon-wide services every Profile borrows. Built once by the
// application; everything here outlives every profile.

#include <chrono>
#include <functional>
#include <string>

namespace Poco {
class Logger;
}

namespace wpe {

class CredentialStore;
class HttpTransport;
class UpstreamClient;
class PageFetcher;
class CacheStore;
class LoginRegistry;
class Clock;
class RateLimitGate;
class RequestCoalescer;

struct ProfileServices {
  CredentialStore& store;
  HttpTransport& transport;  // OAuth token endpoint (its own no-retry rules)
  UpstreamClient& upstream;  // API calls with the retry policy
  PageFetcher& fetcher;
  CacheStore& cache;
  LoginRegistry& logins;
  const Clock& clock;
  Poco::Logger& logger;
  std::chrono::seconds syncInterval{900};
  // A profile fell into login_required (runs the on_login_required hook).
  std::function<void(const std::string& profile)> onLoginRequired;
  // Ask the background sync thread to sync this profile soon (after a login or a write).
  std::function<void(const std::string& profile)> requestSync;
  // Re-run the scheduler's timer pass now (a profile's next refresh moved earlier).
  std::function<void()> wakeScheduler = {};
  // For status only (rate_limit_until, rate_limited_answers, passthrough_coalesced); null in
  // tests that do not need them.
  const RateLimitGate* rateLimits = nullptr;
  const RequestCoalescer* coalescer = nullptr;
  // The total deadline of each upstream exchange ([daemon] upstream_timeout).
  std::chrono::seconds upstreamTimeout{60};
};

}  // namespace wpe
