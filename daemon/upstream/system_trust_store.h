#pragma once
// SystemTrustStore: whether OpenSSL's default verify paths — what a profile without ca_file
// trusts — hold any CA certificate. They are the file named by SSL_CERT_FILE and the
// directories named by SSL_CERT_DIR when those are set (OpenSSL's own variables, which the
// tests use to point the store elsewhere), else OpenSSL's compiled-in defaults (on Debian
// /usr/lib/ssl/cert.pem → /etc/ssl/certs/ca-certificates.crt, and /usr/lib/ssl/certs). On a
// system without the ca-certificates package both are missing or empty, and every HTTPS
// connection would fail verification with a message that does not say why.
//
// Reads the file system on every call (a few stats and one read; no lock). Thread-safe.

#include <string>

namespace wpe {

class SystemTrustStore {
 public:
  // True when the default file holds a PEM certificate or a default directory holds a hashed
  // certificate link (NNNNNNNN.D, as c_rehash makes them).
  static bool hasCertificates();
  // What to do when it has none: "no system CA certificates (install the ca-certificates
  // package: sudo apt install ca-certificates), or set ca_file for profile P".
  static std::string advice(const std::string& profile);
};

}  // namespace wpe
