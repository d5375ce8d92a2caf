#pragma once
// CertAuthority: makes the sandbox's TLS material with OpenSSL — a throwaway CA (P-256 key,
// kept only in memory) and a server certificate for IP 127.0.0.1, IP ::1 and DNS localhost
// signed by it, valid from an hour ago for 30 days. Writes DIR/ca.pem (0644: clients need
// it, it is public) and DIR/server-key.pem + DIR/server-cert.pem (0600).
// Stateless; generate() returns an Internal error naming the failed step.

#include <string>

#include "common/result.h"

namespace wpe {

class CertAuthority {
 public:
  struct Files {
    std::string caFile, keyFile, certFile;
  };

  Result<Files> generate(const std::string& stateDir) const;
};

}  // namespace wpe
