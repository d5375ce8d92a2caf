#include "daemon/upstream/ssl_initializer.h"

#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

namespace wpe {

SslInitializer::SslInitializer() {
  Poco::Net::initializeSSL();
  // Explicit handlers: without them SSLManager would build its defaults from an application
  // configuration, and POCO's default client handler asks on the console. The transport always
  // passes its own Context, so no default context is set here. SSLManager takes ownership of
  // the handler (a SharedPtr).
  Poco::Net::SSLManager::instance().initializeClient(
      nullptr, new Poco::Net::RejectCertificateHandler(false), nullptr);
}

SslInitializer::~SslInitializer() { Poco::Net::uninitializeSSL(); }

}  // namespace wpe
