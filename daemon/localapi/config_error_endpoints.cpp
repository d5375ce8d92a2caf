#include "daemon/localapi/config_error_endpoints.h"

#include "common/wire.h"

namespace wpe {
namespace {

Error configError(const Error& loaderError, const std::string& configPath) {
  // The loader's message names the file, the section, the key and what is allowed; this adds
  // why nothing else works and the one step that gets wped going again.
  return Error(ErrorCode::ConfigError, "wped cannot start: " + loaderError.message + ". Fix " +
                                           configPath + " and run `wpectl reload`");
}

}  // namespace

ConfigErrorEndpoints::ConfigErrorEndpoints(Deps deps, const Error& initial)
    : deps_(std::move(deps)), error_(configError(initial, deps_.configPath)) {}

void ConfigErrorEndpoints::registerRoutes(Router& router) {
  router.add("GET", "/v1/ping", [this](ApiRequest& r) {
    if (auto answer = delegated(r)) return *answer;
    return ApiResponse::json(200, pingReplyToJson());
  });
  router.add("POST", "/v1/reload", [this](ApiRequest& r) { return reloadRoute(r); });
  router.add("POST", "/v1/shutdown", [this](ApiRequest& r) {
    if (auto answer = delegated(r)) return *answer;
    deps_.requestShutdown();
    return ApiResponse::json(202, shutdownReplyToJson());
  });
  // First match wins in the Router: everything not above, on any method.
  router.add("*", "/{path...}", [this](ApiRequest& r) {
    if (auto answer = delegated(r)) return *answer;
    return ApiResponse::error(current());
  });
}

std::optional<ApiResponse> ConfigErrorEndpoints::delegated(ApiRequest& request) {
  LockGuard lock(mutex_);
  const auto until = std::chrono::steady_clock::now() + kSwitchWait;
  while (phase_ == Phase::Fixed && phaseChanged_.waitUntil(mutex_, until)) {
  }
  switch (phase_) {
    case Phase::Broken:
      return std::nullopt;
    case Phase::Normal: {
      const Router* normal = normal_;
      lock.unlock();
      return normal->dispatch(request);
    }
    case Phase::Fixed:
    case Phase::Closed:
      break;
  }
  return ApiResponse::error(ErrorCode::Unavailable, "wped is stopping; try again");
}

Error ConfigErrorEndpoints::current() const {
  LockGuard lock(mutex_);
  return error_;
}

Status ConfigErrorEndpoints::reload() {
  auto summary = reloadSummary();
  if (!summary) return summary.error();
  return {};
}

Result<std::string> ConfigErrorEndpoints::reloadSummary() {
  auto loaded = deps_.load();
  Error stillBroken;
  {
    LockGuard lock(mutex_);
    if (phase_ != Phase::Broken) {
      return Error(ErrorCode::Conflict, "the configuration was reloaded already; try again");
    }
    if (loaded) {
      std::string summary = reloadReplyToJson({loaded->sourcePath, loaded->profiles.size()});
      phase_ = Phase::Fixed;
      fixed_ = std::move(loaded.value());
      return summary;
    }
    error_ = configError(loaded.error(), deps_.configPath);
    stillBroken = error_;
  }
  // Outside the lock: the hook logs and writes to NOTIFY_SOCKET.
  if (deps_.onStillBroken) deps_.onStillBroken(stillBroken);
  return stillBroken;
}

std::optional<DaemonConfig> ConfigErrorEndpoints::takeFixed() {
  LockGuard lock(mutex_);
  std::optional<DaemonConfig> out;
  out.swap(fixed_);
  return out;
}

void ConfigErrorEndpoints::handOver(const Router& normal) {
  {
    LockGuard lock(mutex_);
    normal_ = &normal;
    phase_ = Phase::Normal;
  }
  phaseChanged_.notifyAll();
}

void ConfigErrorEndpoints::close() {
  {
    LockGuard lock(mutex_);
    if (phase_ != Phase::Normal) phase_ = Phase::Closed;
  }
  phaseChanged_.notifyAll();
}

ApiResponse ConfigErrorEndpoints::reloadRoute(ApiRequest& request) {
  if (auto answer = delegated(request)) return *answer;
  auto summary = reloadSummary();
  if (!summary) return ApiResponse::error(summary.error());
  deps_.onFixed();
  return ApiResponse::json(200, summary.value());
}

}  // namespace wpe
