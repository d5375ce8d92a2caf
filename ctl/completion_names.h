#pragma once
// CompletionNames: the dynamic words of shell completion — profile, site and install names —
// for `wpectl __complete KIND [PREFIX]`. Runs under the user's prompt, so it must be quick
// and quiet: one request to wped with a short timeout, and on any failure (wped down, slow,
// an error answer, a broken body) an empty list, never a message.
//
// Profiles come from wped (GET /v1/profiles) and, when wped does not answer, from the
// [profile.NAME] sections of the config file (WPED_CONFIG, else the XDG path) plus
// `default`. Sites and installs come from wped's cache for `profile` (never a sync: a
// never-synced profile simply has no names until its first sync).

#include <chrono>
#include <string>
#include <vector>

#include "common/paths.h"

namespace wpe::ctl {

class CompletionNames {
 public:
  // 300 ms: well under the ~1 s after which a TAB feels broken, and far above the few ms a
  // cached list takes (10,000 sites: ~40 ms).
  static constexpr std::chrono::milliseconds kTimeout{300};

  // `socketPath` empty: wped is not asked (no place for its socket is known).
  CompletionNames(std::string socketPath, std::string profile, EnvLookup env,
                  std::chrono::milliseconds timeout = kTimeout);

  // "profiles", "sites" or "installs"; false for another kind.
  static bool knownKind(const std::string& kind);

  // The names of `kind` that start with `prefix`, sorted, without duplicates.
  std::vector<std::string> names(const std::string& kind, const std::string& prefix) const;

 private:
  std::vector<std::string> fromDaemon(const std::string& kind, bool& answered) const;
  std::vector<std::string> profilesFromConfig() const;

  std::string socketPath_;
  std::string profile_;
  EnvLookup env_;
  std::chrono::milliseconds timeout_;
};

}  // namespace wpe::ctl
