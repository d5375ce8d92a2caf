#include "ctl/credential_variables.h"

#include <algorithm>

namespace wpe::ctl {
namespace {

struct Style {
  const char* name;
  bool basic;          // carries a user id + password (else a token or key)
  const char* first;   // the user id, or the first token name
  const char* second;  // the password, or the second token name
};

// The three spellings existing scripts and tools read the WP Engine API credential from
// (issue 11); one style per spelling so a user can keep a child's environment to the one its
// tool needs.
constexpr Style kStyles[] = {
    {"wpe", true, "WPE_API_USER_ID", "WPE_API_PASSWORD"},
    {"wp-engine", true, "WP_ENGINE_API_USERNAME", "WP_ENGINE_API_PASSWORD"},
    {"wpengine", true, "WPENGINE_USERNAME", "WPENGINE_PASSWORD"},
    {"token", false, "WPENGINE_API_TOKEN", "WPE_API_TOKEN"},
};

std::string styleList() {
  std::string list;
  for (const auto& s : kStyles) list += (list.empty() ? "" : ", ") + std::string(s.name);
  return list;
}

}  // namespace

std::vector<std::string> CredentialVariables::allStyles() {
  std::vector<std::string> all;
  for (const auto& s : kStyles) all.emplace_back(s.name);
  return all;
}

Result<std::vector<std::string>> CredentialVariables::parseStyles(const std::string& list) {
  std::vector<std::string> styles;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string name = list.substr(start, comma - start);
    bool known = std::any_of(std::begin(kStyles), std::end(kStyles),
                             [&name](const Style& s) { return name == s.name; });
    if (!known) {
      return Error(ErrorCode::BadRequest, "unknown --names style \"" + name +
                                              "\"; use one or more of " + styleList() +
                                              ", separated by commas");
    }
    if (std::find(styles.begin(), styles.end(), name) == styles.end()) styles.push_back(name);
    start = comma + 1;
  }
  return styles;
}

Result<std::vector<CredentialVariable>> CredentialVariables::build(
    const TokenReply& token, const std::vector<std::string>& styles, const std::string& profile,
    const std::string& socketPath) {
  const bool basic = token.tokenType == "Basic";
  if (basic && !token.password) {
    return Error(ErrorCode::Internal,
                 "wped did not send the Basic credential's parts; update wped (it is older than "
                 "this wpectl) and restart it");
  }
  std::vector<CredentialVariable> vars;
  for (const auto& style : kStyles) {
    if (std::find(styles.begin(), styles.end(), style.name) == styles.end()) continue;
    if (style.basic != basic) continue;
    if (basic) {
      vars.push_back({style.first, Secret(token.user), false});
      vars.push_back({style.second, *token.password, true});
    } else {
      vars.push_back({style.first, token.accessToken, true});
      vars.push_back({style.second, token.accessToken, true});
    }
  }
  if (vars.empty()) {
    return Error(
        ErrorCode::BadRequest,
        "profile " + profile + " holds " +
            (basic ? std::string("a Basic user id and password, which only the wpe, "
                                 "wp-engine and wpengine styles carry")
                   : std::string(token.tokenType == "Bearer" ? "an OAuth token" : "an API key") +
                         ", which only the token style carries") +
            "; pick one of those with --names");
  }
  if (!token.apiUrl.empty()) vars.push_back({"WPE_API_URL", Secret(token.apiUrl), false});
  vars.push_back({"WPED_SOCKET", Secret(socketPath), false});
  vars.push_back({"WPE_PROFILE", Secret(profile), false});
  return vars;
}

}  // namespace wpe::ctl
