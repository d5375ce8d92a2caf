#pragma once
// One [profile.NAME] section of wped.ini, validated (see ConfigLoader). Holds no secret:
// keys, passwords, client secrets and tokens live in the CredentialStore only.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/auth_kind.h"

namespace wpe {

struct ProfileConfig {
  std::string name = "default";
  AuthKind auth = AuthKind::ApiKey;
  std::string apiUrl = "https://api.wpengineapi.com/v1";  // no trailing slash
  std::string user;                                       // basic: the API user id
  std::string authorizeUrl = "https://wpengineapi.com/oauth/authorize";
  std::string tokenUrl = "https://wpengineapi.com/oauth/token";
  std::string revokeUrl;  // optional (RFC 7009)
  std::string clientId;
  std::string scope = "sites:read";
  std::uint16_t redirectPort = 0;  // 0: any free port
  std::string caFile;              // empty: the system CA store
};

}  // namespace wpe
