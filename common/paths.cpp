#include "common/paths.h"

#include <cstdlib>

#include "common/log_escape.h"

namespace wpe {
namespace {

// An XDG variable counts only when it holds an absolute path (XDG Base Directory spec).
std::optional<std::string> xdgDir(const EnvLookup& env, const char* name) {
  auto value = env(name);
  if (!value || value->empty() || value->front() != '/') return std::nullopt;
  return value;
}

Result<std::string> homeDir(const EnvLookup& env, const char* what) {
  auto home = env("HOME");
  if (!home || home->empty() || home->front() != '/') {
    return Error(ErrorCode::BadRequest,
                 std::string("cannot find the ") + what + ": HOME is not set to an absolute path");
  }
  return *home;
}

}  // namespace

EnvLookup processEnv() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Result<ConfigLocation> resolveConfigPath(const std::optional<std::string>& cliValue,
                                         const EnvLookup& env) {
  if (cliValue && !cliValue->empty()) return ConfigLocation{*cliValue, true};
  if (auto fromEnv = env("WPED_CONFIG")) return ConfigLocation{*fromEnv, true};
  if (auto xdg = xdgDir(env, "XDG_CONFIG_HOME")) {
    return ConfigLocation{*xdg + "/wped/wped.ini", false};
  }
  auto home = homeDir(env, "config file");
  if (!home) return home.error();
  return ConfigLocation{home.value() + "/.config/wped/wped.ini", false};
}

Result<std::string> resolveSocketPath(const std::optional<std::string>& cliValue,
                                      const EnvLookup& env) {
  std::string path;
  if (cliValue && !cliValue->empty()) {
    path = *cliValue;
  } else if (auto fromEnv = env("WPED_SOCKET")) {
    path = *fromEnv;
  } else if (auto runtime = xdgDir(env, "XDG_RUNTIME_DIR")) {
    path = *runtime + "/wped/wped.sock";
  } else {
    // A shared directory like /tmp would let another user squat the name: refuse instead.
    return Error(ErrorCode::BadRequest,
                 "XDG_RUNTIME_DIR is not set (or not absolute), so there is no private place for "
                 "the socket; log in through a session that sets it (systemd-logind) or pass "
                 "--socket PATH / set WPED_SOCKET");
  }
  if (auto ok = checkSocketPath(path); !ok) return ok.error();
  return path;
}

Result<std::string> resolveCacheDir(const std::string& configured, const EnvLookup& env) {
  if (!configured.empty()) return configured;
  if (auto xdg = xdgDir(env, "XDG_CACHE_HOME")) return *xdg + "/wped";
  auto home = homeDir(env, "cache directory");
  if (!home) return home.error();
  return home.value() + "/.cache/wped";
}

Status checkSocketPath(const std::string& path) {
  if (path.empty()) return Error(ErrorCode::BadRequest, "the socket path is empty");
  if (path.size() > kMaxSocketPathBytes) {
    return Error(ErrorCode::BadRequest,
                 "socket path is " + std::to_string(path.size()) + " bytes, more than the " +
                     std::to_string(kMaxSocketPathBytes) + " a Unix socket address holds: " +
                     escapeForLog(path) + " (choose a shorter --socket / XDG_RUNTIME_DIR)");
  }
  if (path.find('\0') != std::string::npos) {
    return Error(ErrorCode::BadRequest, "the socket path contains a NUL byte");
  }
  return {};
}

}  // namespace wpe
