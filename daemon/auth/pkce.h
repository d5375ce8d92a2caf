#pragma once
// Pkce: the random values of one OAuth login (RFC 7636, docs/security.md rule 7).
//  - verifier: 32 bytes from the OpenSSL CSPRNG, base64url without padding (43 characters of
//    the unreserved set), kept as a Secret: it proves possession of the code.
//  - challenge: base64url(SHA-256(verifier)), sent in the authorize URL (method S256 always).
//  - state: 32 random bytes (256 bits) base64url; single use, compared in constant time.
// Stateless functions; thread-safe. Randomness failure (RAND_bytes refusing) is reported as an
// Internal error rather than falling back to a weaker source.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"

namespace wpe {

class Pkce {
 public:
  Secret verifier;
  std::string challenge;
  std::string state;

  // A fresh verifier, its S256 challenge and a fresh state.
  static Result<Pkce> generate();

  // base64url(SHA-256(verifier)) without padding.
  static std::string challengeFor(const Secret& verifier);

  // `bytes` random bytes, base64url without padding.
  static Result<std::string> randomToken(std::size_t bytes);

  // base64url (RFC 4648 §5) without padding.
  static std::string base64Url(std::string_view bytes);

  // Equal length and content, in time independent of where they differ.
  static bool constantTimeEquals(std::string_view a, std::string_view b);
};

}  // namespace wpe
