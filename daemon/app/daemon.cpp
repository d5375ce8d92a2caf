#include "daemon/app/daemon.h"

#include <Poco/String.h>
#include <signal.h>
#include <unistd.h>

#include "daemon/audit/audit_log.h"
#include "daemon/audit/sqlite_audit_store.h"
#include "daemon/auth/login_required_hook.h"
#include "daemon/cache/cache_store.h"
#include "daemon/config/config_loader.h"
#include "daemon/credentials/make_credential_store.h"
#include "daemon/credentials/reporting_credential_store.h"
#include "daemon/localapi/audit_endpoints.h"
#include "daemon/localapi/profile_endpoints.h"
#include "daemon/profiles/api_proxy.h"
#include "daemon/profiles/profile_registry.h"
#include "daemon/profiles/profile_services.h"
#include "daemon/profiles/scheduler.h"
#include "daemon/sync/page_fetcher.h"
#include "daemon/system/notifier.h"
#include "daemon/upstream/system_trust_store.h"
#include "daemon/upstream/upstream_client.h"
#include "version.h"

namespace wpe {
namespace {

std::string describe(const DaemonConfig& config, const std::string& path) {
  return "serving on " + path + " with " + std::to_string(config.profiles.size()) + " profile(s)";
}

std::string cacheDirOf(const DaemonConfig& config) {
  auto dir = resolveCacheDir(config.cacheDir, processEnv());
  return dir ? dir.value() : std::string();
}

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

Daemon::Daemon(Poco::Logger& logger, Notifier& notifier, Startup startup,
               std::optional<std::string> configOption)
    : logger_(logger),
      notifier_(notifier),
      configOption_(std::move(configOption)),
      configPath_(startup.location.path),
      socketPath_(startup.listening.path),
      socketFromSystemd_(!startup.listening.ownsPath),
      config_(std::move(startup.config)),
      cacheDir_(cacheDirOf(*config_.current())),
      router_(logger),
      watch_(clock_),
      transport_(logger, watch_),
      errorMode_(std::move(startup.errorMode)),
      listening_(std::move(startup.listening)) {
  const auto config = config_.current();
  core_ = std::make_unique<CoreEndpoints>(CoreEndpoints::Deps{
      config_, [this]() -> StatusProvider& { return *registry_; }, socketPath_, configPath_,
      startedAt_, [this] { return reload(); }, [] { ::kill(::getpid(), SIGTERM); }});
  // The core routes first, as the router has always had them.
  core_->registerRoutes(router_);

  // The cache is optional: a full disk or a refused file leaves it unavailable (status says
  // why; lists fail) while tokens and the passthrough work; each sync tries it again.
  cache_ = CacheStore::openOrUnavailable(cacheDir_, clock_, logger);
  // The audit trail shares the cache file on a connection of its own; without it requests
  // are still served, and GET /v1/audit says why there is no trail. A refused or unusable
  // cache file (a symlink, another user's, a full disk) is not opened for it either.
  const CacheAvailability cacheState = cache_->availability();
  Result<std::unique_ptr<SqliteAuditStore>> auditStore =
      cacheState.available ? SqliteAuditStore::open(cacheDir_ + "/cache.db")
                           : Result<std::unique_ptr<SqliteAuditStore>>(cacheState.reason);
  if (!auditStore) logger.warning("%s; the audit trail is unavailable", auditStore.error().message);
  audit_ = std::make_unique<AuditLog>(
      auditStore ? std::move(auditStore.value()) : nullptr,
      auditStore ? std::string() : "the audit trail is unavailable: " + auditStore.error().message,
      peerResolver_, clock_, logger, AuditLog::Options{});
  auditEndpoints_ = std::make_unique<AuditEndpoints>(*audit_);

  upstream_ = std::make_unique<UpstreamClient>(transport_, retryPolicy_, sleeper_, clock_, logger,
                                               &rateLimits_);
  fetcher_ = std::make_unique<PageFetcher>(*upstream_, logger);
  store_ = makeCredentialStore(config->credentialStore, logger);
  logins_ = std::make_unique<LoginRegistry>(clock_);
  if (!config->onLoginRequired.empty()) {
    hook_ = std::make_unique<LoginRequiredHook>(config->onLoginRequired, logger);
  }
  // A successful save updates status at once (registry_ is set before any request is served).
  reportingStore_ =
      std::make_unique<ReportingCredentialStore>(*store_, [this](const StoreStatus& s) {
        if (registry_) registry_->setStoreStatus(s);
      });
  services_ = std::unique_ptr<ProfileServices>(
      new ProfileServices{*reportingStore_, transport_, *upstream_, *fetcher_, *cache_, *logins_,
                          clock_, logger, config->syncInterval,
                          [this](const std::string& profile) {
                            logger_.warning("profile %s: login required", profile);
                            if (hook_) hook_->run(profile);
                          },
                          [this](const std::string& profile) {
                            if (scheduler_) scheduler_->requestSync(profile);
                          },
                          [this] {
                            if (scheduler_) scheduler_->wake();
                          },
                          &rateLimits_, &coalescer_});
  services_->upstreamTimeout = config->upstreamTimeout;
  registry_ = std::make_unique<ProfileRegistry>(
      *services_, config->credentialStore == CredentialStoreKind::Memory);
  registry_->apply(*config);
  warnIfNoSystemCertificates(*config, logger);
  scheduler_ = std::make_unique<Scheduler>(*registry_, *store_, clock_, logger);
  proxy_ = std::make_unique<ApiProxy>(*upstream_, services_->requestSync, &coalescer_);
  endpoints_ =
      std::make_unique<ProfileEndpoints>(*registry_, *logins_, *cache_, *proxy_, audit_.get());
  endpoints_->registerRoutes(router_);
  auditEndpoints_->registerRoutes(router_);
}

Daemon::~Daemon() { stopBackgroundThreads(); }

Status Daemon::start() {
  watch_.start();
  scheduler_->start();
  audit_->start();
  if (errorMode_) {
    errorMode_->handOver(router_);  // the same server goes on serving, now the real routes
  } else {
    server_.emplace(logger_, router_, std::move(listening_));
    if (auto ok = server_->start(); !ok) return ok.error();
  }
  logger_.information("wped %s serving on %s%s (pid %d)", std::string(kVersion), socketPath_,
                      std::string(socketFromSystemd_ ? " (socket from systemd)" : ""),
                      static_cast<int>(::getpid()));
  logger_.information("configuration: %s", configPath_ + (config_.current()->sourcePath.empty()
                                                              ? std::string(" (absent: defaults)")
                                                              : std::string()));
  notifier_.ready(describe(*config_.current(), socketPath_));
  if (auto interval = notifier_.watchdogInterval()) {
    watchdog_.emplace(logger_, notifier_, socketPath_, *interval);
    watchdog_->start();
  }
  return {};
}

Status Daemon::reload() {
  LockGuard lock(reloadMutex_);
  notifier_.reloading();
  ConfigLoader loader(logger_);
  auto location = resolveConfigPath(configOption_, processEnv());
  Result<DaemonConfig> next =
      location ? loader.load(location.value()) : Result<DaemonConfig>(location.error());
  auto current = config_.current();
  if (!next) {
    logger_.error("reload failed, keeping the previous configuration: %s", next.error().message);
    notifier_.ready("reload failed, previous configuration kept; " +
                    describe(*current, socketPath_));
    return next.error();
  }
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(next->logLevel));
  config_.replace(std::move(next.value()));
  auto now = config_.current();
  // A CA file replaced at the same path is read again only by a new TLS Context; the reload
  // is the user's way to say "the files changed" (ca_file paths may be unchanged).
  transport_.reloadTrust();
  registry_->apply(*now);
  scheduler_->wake();
  logger_.information("configuration reloaded from %s: %z profile(s)",
                      now->sourcePath.empty() ? std::string("defaults") : now->sourcePath,
                      now->profiles.size());
  notifier_.ready(describe(*now, socketPath_));
  return {};
}

void Daemon::stop() {
  notifier_.stopping();
  if (watchdog_) watchdog_->stop();
  // First: every upstream exchange in flight ends now and later ones fail at once, so the
  // serving threads, the profile workers and a refresh's waiters all finish within moments.
  watch_.cancelAll();
  sleeper_.interrupt();
  for (auto& profile : registry_->all()) profile->cancelLogins("wped is stopping");
  if (server_) server_->stop();
  if (errorMode_) errorMode_->stop();
  stopBackgroundThreads();
}

void Daemon::stopBackgroundThreads() {
  if (threadsStopped_) return;
  threadsStopped_ = true;
  watch_.cancelAll();
  sleeper_.interrupt();  // a retry backoff must not hold up the stop
  scheduler_->stop();
  audit_->stop();  // after serving: the last calls are written
  watch_.stop();
}

}  // namespace wpe
