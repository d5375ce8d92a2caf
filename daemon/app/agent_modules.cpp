#include "daemon/app/agent_modules.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include "daemon/audit/audit_log.h"
#include "daemon/audit/proc_peer_resolver.h"
#include "daemon/audit/sqlite_audit_store.h"
#include "daemon/auth/login_registry.h"
#include "daemon/auth/login_required_hook.h"
#include "daemon/cache/cache_store.h"
#include "daemon/config/config_holder.h"
#include "daemon/core/clock.h"
#include "daemon/credentials/make_credential_store.h"
#include "daemon/credentials/reporting_credential_store.h"
#include "daemon/localapi/audit_endpoints.h"
#include "daemon/localapi/profile_endpoints.h"
#include "daemon/profiles/api_proxy.h"
#include "daemon/profiles/profile_registry.h"
#include "daemon/profiles/request_coalescer.h"
#include "daemon/profiles/scheduler.h"
#include "daemon/sync/page_fetcher.h"
#include "daemon/upstream/deadline_watch.h"
#include "daemon/upstream/interruptible_sleeper.h"
#include "daemon/upstream/poco_http_transport.h"
#include "daemon/upstream/rate_limit_gate.h"
#include "daemon/upstream/retry_policy.h"
#include "daemon/upstream/ssl_initializer.h"
#include "daemon/upstream/system_trust_store.h"
#include "daemon/upstream/upstream_client.h"

namespace wpe {

// Declaration order is construction order; members are destroyed in reverse.
struct AgentModules::Parts {
  explicit Parts(Poco::Logger& logger) : logger(logger), watch(clock), transport(logger, watch) {}

  Poco::Logger& logger;
  SystemClock clock;
  DeadlineWatch watch;  // every upstream exchange's deadline; cancelAll() when stopping
  SslInitializer ssl;
  PocoHttpTransport transport;
  RetryPolicy retryPolicy;
  InterruptibleSleeper sleeper;
  RateLimitGate rateLimits{clock};
  RequestCoalescer coalescer;
  std::unique_ptr<UpstreamClient> upstream;
  std::unique_ptr<PageFetcher> fetcher;
  std::unique_ptr<CacheStore> cache;
  ProcPeerResolver peerResolver;
  std::unique_ptr<AuditLog> audit;  // outlives the endpoints that record into it
  std::unique_ptr<AuditEndpoints> auditEndpoints;
  std::unique_ptr<CredentialStore> store;
  std::unique_ptr<CredentialStore> reportingStore;  // wraps store; what the profiles use
  std::unique_ptr<LoginRegistry> logins;
  std::unique_ptr<LoginRequiredHook> hook;
  std::unique_ptr<ProfileServices> services;
  std::unique_ptr<ProfileRegistry> registry;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<ApiProxy> proxy;
  std::unique_ptr<ProfileEndpoints> endpoints;
};

AgentModules::AgentModules(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

AgentModules::~AgentModules() { stop(); }

void AgentModules::stopping() {
  if (!parts_) return;
  // First: every upstream exchange in flight ends now and later ones fail at once, so the
  // serving threads, the profile workers and a refresh's waiters all finish within moments.
  parts_->watch.cancelAll();
  parts_->sleeper.interrupt();
  for (auto& profile : parts_->registry->all()) profile->cancelLogins("wped is stopping");
}

void AgentModules::stop() {
  if (!parts_) return;
  parts_->watch.cancelAll();
  parts_->sleeper.interrupt();  // a retry backoff must not hold up the stop
  if (parts_->scheduler) parts_->scheduler->stop();
  if (parts_->audit) parts_->audit->stop();  // after serving: the last calls are written
  parts_->watch.stop();
}

namespace {

// Once at start: profiles that trust the system store when it has no certificates (a system
// without ca-certificates) can reach no HTTPS endpoint; say so before the first request fails.
void warnIfNoSystemCertificates(const DaemonConfig& config, Poco::Logger& logger) {
  std::string names;
  for (const auto& [name, profile] : config.profiles) {
    if (!profile.caFile.empty()) continue;
    bool https = false;
    for (const std::string* url :
         {&profile.apiUrl, &profile.authorizeUrl, &profile.tokenUrl, &profile.revokeUrl}) {
      https = https || Poco::icompare(url->substr(0, 8), "https://") == 0;
    }
    if (https) names += (names.empty() ? "" : ", ") + name;
  }
  if (names.empty() || SystemTrustStore::hasCertificates()) return;
  logger.warning("%s; until then HTTPS requests of these profiles fail",
                 SystemTrustStore::advice(names));
}

}  // namespace

Result<std::shared_ptr<AgentModules>> AgentModules::build(DaemonContext& context) {
  auto config = context.config.current();
  auto p = std::make_unique<Parts>(context.logger);
  Poco::Logger& logger = context.logger;

  // The cache is optional: a full disk or a refused file leaves it unavailable (status says
  // why; lists fail) while tokens and the passthrough work; each sync tries it again.
  p->cache = CacheStore::openOrUnavailable(context.cacheDir, p->clock, logger);
  // The audit trail shares the cache file on a connection of its own; without it requests
  // are still served, and GET /v1/audit says why there is no trail. A refused or unusable
  // cache file (a symlink, another user's, a full disk) is not opened for it either.
  const CacheAvailability cacheState = p->cache->availability();
  Result<std::unique_ptr<SqliteAuditStore>> auditStore =
      cacheState.available ? SqliteAuditStore::open(context.cacheDir + "/cache.db")
                           : Result<std::unique_ptr<SqliteAuditStore>>(cacheState.reason);
  if (!auditStore) logger.warning("%s; the audit trail is unavailable", auditStore.error().message);
  p->audit = std::make_unique<AuditLog>(
      auditStore ? std::move(auditStore.value()) : nullptr,
      auditStore ? std::string() : "the audit trail is unavailable: " + auditStore.error().message,
      p->peerResolver, p->clock, logger, AuditLog::Options{});
  p->auditEndpoints = std::make_unique<AuditEndpoints>(*p->audit);

  p->upstream = std::make_unique<UpstreamClient>(p->transport, p->retryPolicy, p->sleeper, p->clock,
                                                 logger, &p->rateLimits);
  p->fetcher = std::make_unique<PageFetcher>(*p->upstream, logger);
  p->store = makeCredentialStore(config->credentialStore, logger);
  p->logins = std::make_unique<LoginRegistry>(p->clock);
  if (!config->onLoginRequired.empty()) {
    p->hook = std::make_unique<LoginRequiredHook>(config->onLoginRequired, logger);
  }

  Parts* raw = p.get();
  // A successful save updates status at once (registry is set before any request is served).
  p->reportingStore =
      std::make_unique<ReportingCredentialStore>(*p->store, [raw](const StoreStatus& status) {
        if (raw->registry) raw->registry->setStoreStatus(status);
      });
  p->services = std::unique_ptr<ProfileServices>(
      new ProfileServices{*p->reportingStore, p->transport, *p->upstream, *p->fetcher, *p->cache,
                          *p->logins, p->clock, logger, config->syncInterval,
                          [raw](const std::string& profile) {
                            raw->logger.warning("profile %s: login required", profile);
                            if (raw->hook) raw->hook->run(profile);
                          },
                          [raw](const std::string& profile) {
                            if (raw->scheduler) raw->scheduler->requestSync(profile);
                          },
                          [raw] {
                            if (raw->scheduler) raw->scheduler->wake();
                          },
                          &p->rateLimits, &p->coalescer});
  p->services->upstreamTimeout = config->upstreamTimeout;
  p->registry = std::make_unique<ProfileRegistry>(
      *p->services, config->credentialStore == CredentialStoreKind::Memory);
  p->registry->apply(*config);
  warnIfNoSystemCertificates(*config, logger);
  p->scheduler = std::make_unique<Scheduler>(*p->registry, *p->store, p->clock, logger);
  p->proxy = std::make_unique<ApiProxy>(*p->upstream, p->services->requestSync, &p->coalescer);
  p->endpoints = std::make_unique<ProfileEndpoints>(*p->registry, *p->logins, *p->cache, *p->proxy,
                                                    p->audit.get());

  p->endpoints->registerRoutes(context.router);
  p->auditEndpoints->registerRoutes(context.router);
  context.statusProvider = p->registry.get();
  context.config.onChange([raw](const DaemonConfig&, const DaemonConfig& after) {
    // A CA file replaced at the same path is read again only by a new TLS Context; the
    // reload is the user's way to say "the files changed" (ca_file paths may be unchanged).
    raw->transport.reloadTrust();
    raw->registry->apply(after);
    raw->scheduler->wake();
  });
  p->watch.start();
  p->scheduler->start();
  p->audit->start();
  return std::shared_ptr<AgentModules>(new AgentModules(std::move(p)));
}

}  // namespace wpe
