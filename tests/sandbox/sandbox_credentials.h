#pragma once
// SandboxCredentials: what the sandbox accepts and publishes in sandbox.json. The secrets
// (API key, Basic password, client secret) are fresh canaries each run; the user id, the
// client ids and the control token are not secrets and never carry the canary marker.

#include <string>

#include "common/secret.h"
#include "tests/sandbox/secret_generator.h"

namespace wpe {

struct SandboxCredentials {
  Secret apiKey;
  std::string user;  // the API user id for Basic auth (the data set's user id)
  Secret password;
  std::string publicClientId;
  std::string confidentialClientId;
  Secret clientSecret;
  std::string controlToken;

  static SandboxCredentials make(const SecretGenerator& generator, const std::string& userId) {
    SandboxCredentials c;
    c.apiKey = Secret(generator.canary("ak"));
    c.user = userId;
    c.password = Secret(generator.canary("pw"));
    c.publicClientId = "sandbox-public-" + generator.plainHex(6);
    c.confidentialClientId = "sandbox-confidential-" + generator.plainHex(6);
    c.clientSecret = Secret(generator.canary("cs"));
    c.controlToken = "sandbox-control-" + generator.plainHex(16);
    return c;
  }
};

}  // namespace wpe
