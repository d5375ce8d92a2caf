#pragma once
// OAuthClient: TokenEndpoint over an HttpTransport, for one profile's ProfileConfig
// (token_url, revoke_url, client_id). Builds form-urlencoded bodies; authenticates a
// confidential client (a client secret was given) with HTTP Basic per RFC 6749 §2.3.1 —
// id and secret form-urlencoded before base64 — while a public client sends client_id in
// the body. Redirects are not followed (the transport never does). Endpoints must be https,
// or http to a loopback host (common/loopback_host.h); anything else is refused before sending.
//
// Classification of failures: see TokenFailure. Messages never contain a token, code,
// verifier or client secret (echoes of what was sent are scrubbed from server text).
// Borrows the transport and clock, which must outlive it. Thread-safe (stateless per call).

#include <optional>
#include <string>

#include "daemon/auth/token_endpoint.h"
#include "daemon/config/profile_config.h"
#include "daemon/time/clock.h"
#include "daemon/upstream/http_transport.h"

namespace wpe {

class OAuthClient final : public TokenEndpoint {
 public:
  OAuthClient(ProfileConfig profile, HttpTransport& transport, TransportOptions options,
              const Clock& clock);

  TokenOutcome exchangeCode(const Secret& code, const Secret& verifier,
                            const std::string& redirectUri,
                            const std::optional<Secret>& clientSecret) override;
  TokenOutcome refresh(const Secret& refreshToken,
                       const std::optional<Secret>& clientSecret) override;
  Status revoke(const Secret& token, const std::string& hint,
                const std::optional<Secret>& clientSecret) override;

  // Retry-After as seconds or an HTTP date relative to `now`, clamped to 0..3600 s;
  // nullopt when absent or unparseable.
  static std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value,
                                                             WallTime now);
  // True for https://, and for http:// to a loopback host (common/loopback_host.h: the rule
  // the config loader applies too, "localhost" included).
  static bool endpointAllowed(const std::string& url);

 private:
  TokenOutcome postToken(std::string body, const std::optional<Secret>& clientSecret,
                         const Secret& scrub);
  HttpRequest formRequest(const std::string& url, std::string body,
                          const std::optional<Secret>& clientSecret) const;

  ProfileConfig profile_;
  HttpTransport& transport_;
  TransportOptions options_;
  const Clock& clock_;
};

}  // namespace wpe
