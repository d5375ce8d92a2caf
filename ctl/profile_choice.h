#pragma once
// ProfileChoice: which profile a wpectl command uses and which rule chose it. The rules, in
// order (the first that gives a name wins):
//   1. --profile NAME                      source "--profile"
//   2. $WPE_PROFILE                        source "WPE_PROFILE"
//   3. a .wpe-profile file in the working directory or the nearest parent that has one
//                                          source: the file's absolute path
//   4. "default"                           source "default"
// So an agency keeps one folder per client, each with a .wpe-profile naming its profile.
//
// The file holds one profile name; surrounding whitespace is trimmed, empty lines and lines
// starting with '#' are ignored. Anything else (an invalid name, two names, no name) is an
// error naming the file — never a silent fall back to another profile.
//
// The upward search trusts only what the user or root owns: it stops (before looking in it)
// at the first directory owned by another user, and ignores a .wpe-profile that is not a
// regular file owned by the user or root — someone else's directory cannot pick the profile
// (and so the credential) a command uses. It stops at the filesystem root. Pure apart from
// reading the filesystem; no state.

#include <filesystem>
#include <optional>
#include <string>

#include "common/paths.h"
#include "common/result.h"

namespace wpe::ctl {

struct ProfileChoice {
  std::string name;
  std::string source;  // "--profile", "WPE_PROFILE", a .wpe-profile path, or "default"

  // "--profile" / "WPE_PROFILE" / "/home/me/clients/acme/.wpe-profile" / "default", phrased
  // for `wpectl status`: "from --profile", "from WPE_PROFILE", "from /…/.wpe-profile",
  // "the default".
  std::string describeSource() const;

  // flag: the --profile value if given. start: where the .wpe-profile search begins (the
  // working directory). A BadRequest error says what is wrong and where.
  static Result<ProfileChoice> resolve(const std::optional<std::string>& flag, const EnvLookup& env,
                                       const std::filesystem::path& start);

  // The name in a .wpe-profile's text, or a BadRequest error mentioning `path`.
  static Result<std::string> parseFile(const std::string& text, const std::string& path);

  static constexpr const char* kFileName = ".wpe-profile";
};

}  // namespace wpe::ctl
