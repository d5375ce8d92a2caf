#pragma once
// SecretGenerator: random values from OpenSSL's CSPRNG for everything the sandbox issues.
// Secrets carry the canary marker ("wpecanary-<kind>-<hex>") so a test can grep logs, files,
// argv and environments for leaks; identifiers that are not secret (control token, client
// ids) use plainHex() and never carry the marker. Thread-safe; no state.

#include <cstddef>
#include <string>
#include <string_view>

namespace wpe {

class SecretGenerator {
 public:
  static constexpr std::string_view kCanary = "wpecanary";

  // "wpecanary-<kind>-<2*bytes hex>"; throws std::runtime_error if the CSPRNG fails
  // (it does not on Linux once seeded; a sandbox that cannot make secrets must not start).
  std::string canary(std::string_view kind, std::size_t bytes = 16) const;
  std::string plainHex(std::size_t bytes) const;
};

}  // namespace wpe
