#pragma once
// CredentialVariables: the environment variables that carry a profile's credential to tools,
// under the names the WP Engine ecosystem uses (`wpectl exec`, `wpectl token --format env`).
//
// Name styles (--names, comma-separated; default: all of them):
//   wpe        WPE_API_USER_ID, WPE_API_PASSWORD              (Basic credentials)
//   wp-engine  WP_ENGINE_API_USERNAME, WP_ENGINE_API_PASSWORD  (Basic credentials)
//   wpengine   WPENGINE_USERNAME, WPENGINE_PASSWORD            (Basic credentials)
//   token      WPENGINE_API_TOKEN, WPE_API_TOKEN               (OAuth access token or API key)
// A style carries only the kind of credential it names: a Basic profile fills the three Basic
// styles, an OAuth or API-key profile the token style (an API key is the single secret such a
// profile has; tools send it as `Authorization: ApiKey …`). Always set as well, none of them
// secret: WPE_API_URL (the profile's api_url), WPED_SOCKET and WPE_PROFILE, so a nested
// wpectl talks to the same wped and profile.

#include <string>
#include <vector>

#include "common/profile_wire.h"
#include "common/result.h"
#include "common/secret.h"

namespace wpe::ctl {

struct CredentialVariable {
  std::string name;
  Secret value;
  bool secret = false;  // a password, token or key (masked by --mask)
};

class CredentialVariables {
 public:
  // "wpe,token" → the styles; BadRequest naming an unknown style and listing the known ones.
  static Result<std::vector<std::string>> parseStyles(const std::string& list);
  static std::vector<std::string> allStyles();

  // The variables for `token` under `styles`. BadRequest (with the styles that would fit)
  // when none of the styles can carry this kind of credential.
  static Result<std::vector<CredentialVariable>> build(const TokenReply& token,
                                                       const std::vector<std::string>& styles,
                                                       const std::string& profile,
                                                       const std::string& socketPath);
};

}  // namespace wpe::ctl
