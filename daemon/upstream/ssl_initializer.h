#pragma once
// SslInitializer: process-wide OpenSSL/POCO NetSSL setup, as an RAII object the application
// constructs once before the first HTTPS request and destroys after the last.
//
// Besides Poco::Net::initializeSSL() it installs a RejectCertificateHandler for clients, so a
// certificate that fails verification is always an exception — never POCO's default
// ConsoleCertificateHandler (an interactive prompt) or an AcceptCertificateHandler. Not
// copyable; construct it on the main thread before any transport is used.

namespace wpe {

class SslInitializer {
 public:
  SslInitializer();
  ~SslInitializer();
  SslInitializer(const SslInitializer&) = delete;
  SslInitializer& operator=(const SslInitializer&) = delete;
};

}  // namespace wpe
