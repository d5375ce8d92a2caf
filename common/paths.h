#pragma once
// Where wped and wpectl find their files (docs/interface.md "Files and environment"), resolved
// from the command line, the environment and the XDG base-directory rules. Pure functions
// over an environment lookup, so tests pass a map instead of touching the process.
//
// Failure values (ErrorCode::BadRequest, message says what to set):
//  - no XDG_RUNTIME_DIR and no override for the socket: we never fall back to /tmp;
//  - a socket path of 108 bytes or more (sun_path holds 107 plus the NUL; POCO asserts);
//  - no HOME when a default under it is needed.
// XDG variables holding a relative path are ignored, as the XDG spec requires.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "common/result.h"

namespace wpe {

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// Reads the real process environment (getenv). Empty values count as unset.
EnvLookup processEnv();

// The longest socket path a sockaddr_un holds (without the terminating NUL).
inline constexpr std::size_t kMaxSocketPathBytes = 107;

struct ConfigLocation {
  std::string path;
  bool explicitlyGiven = false;  // --config or WPED_CONFIG: a missing file is an error then
};

// --config PATH, else WPED_CONFIG, else $XDG_CONFIG_HOME/wped/wped.ini, else
// $HOME/.config/wped/wped.ini.
Result<ConfigLocation> resolveConfigPath(const std::optional<std::string>& cliValue,
                                         const EnvLookup& env);

// --socket PATH, else WPED_SOCKET, else $XDG_RUNTIME_DIR/wped/wped.sock. Used by both the
// daemon and the CLI so they agree.
Result<std::string> resolveSocketPath(const std::optional<std::string>& cliValue,
                                      const EnvLookup& env);

// cache_dir from the config when set, else $XDG_CACHE_HOME/wped, else $HOME/.cache/wped.
Result<std::string> resolveCacheDir(const std::string& configured, const EnvLookup& env);

// Fails when `path` cannot be a Unix socket address (empty or ≥ 108 bytes).
Status checkSocketPath(const std::string& path);

}  // namespace wpe
