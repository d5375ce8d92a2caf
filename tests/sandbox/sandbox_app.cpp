#include "tests/sandbox/sandbox_app.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/ThreadPool.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "tests/sandbox/api_authenticator.h"
#include "tests/sandbox/api_handlers.h"
#include "tests/sandbox/cert_authority.h"
#include "tests/sandbox/controls.h"
#include "tests/sandbox/counters.h"
#include "tests/sandbox/data_generator.h"
#include "tests/sandbox/data_set.h"
#include "tests/sandbox/fault_injector.h"
#include "tests/sandbox/file_writer.h"
#include "tests/sandbox/json_text.h"
#include "tests/sandbox/oauth_endpoints.h"
#include "tests/sandbox/oauth_server.h"
#include "tests/sandbox/request_router.h"
#include "tests/sandbox/sandbox_credentials.h"
#include "tests/sandbox/token_store.h"

namespace wpe {
namespace {

// Each keep-alive connection holds a POCO worker thread; benchmarks open dozens at once.
constexpr int kMaxThreads = 128;
constexpr int kMinThreads = 64;

std::string readyJson(const std::string& origin, const OAuthEndpoints& oauth,
                      const std::string& caFile, const SandboxCredentials& c) {
  using json::quote;
  return "{\"api_url\":" + quote(origin + "/v1") +
         ",\"authorize_url\":" + quote(oauth.authorizeUrl(origin)) +
         ",\"token_url\":" + quote(oauth.tokenUrl(origin)) +
         ",\"revoke_url\":" + quote(oauth.revokeUrl(origin)) + ",\"ca_file\":" + quote(caFile) +
         ",\"api_key\":" + quote(c.apiKey.reveal()) + ",\"user\":" + quote(c.user) +
         ",\"password\":" + quote(c.password.reveal()) +
         ",\"client_id\":" + quote(c.publicClientId) +
         ",\"confidential_client_id\":" + quote(c.confidentialClientId) +
         ",\"client_secret\":" + quote(c.clientSecret.reveal()) +
         ",\"control_url\":" + quote(origin + "/_sandbox") +
         ",\"control_token\":" + quote(c.controlToken) + "}\n";
}

}  // namespace

int SandboxApp::run() {
  const std::string& dir = options_.stateDir;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    logger_.error("cannot create state dir %s: %s", dir, std::string(std::strerror(errno)));
    return 1;
  }
  // A ready file left by an earlier run must not look like this run's ready signal.
  const std::string readyFile = dir + "/sandbox.json";
  if (::unlink(readyFile.c_str()) != 0 && errno != ENOENT) {
    logger_.error("cannot remove stale %s: %s", readyFile, std::string(std::strerror(errno)));
    return 1;
  }
  auto files = CertAuthority().generate(dir);
  if (!files) {
    logger_.error("TLS setup failed: %s", files.error().message);
    return 1;
  }

  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpuStarted = std::clock();
  DataSet data(DataGenerator().generate(options_.sites));
  const auto generated = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const int generatedCpuMs = static_cast<int>((std::clock() - cpuStarted) * 1000 / CLOCKS_PER_SEC);
  const SecretGenerator secrets;
  const SandboxCredentials credentials = SandboxCredentials::make(secrets, data.userId());

  Poco::Net::initializeSSL();
  int exitCode = 0;
  try {
    Poco::Net::Context::Params tls;
    tls.privateKeyFile = files->keyFile;
    tls.certificateFile = files->certFile;
    tls.verificationMode = Poco::Net::Context::VERIFY_NONE;
    tls.loadDefaultCAs = false;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::SERVER_USE, tls);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    context->enableSessionCache(true, "wpe-sandbox");

    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(options_.listen), 256, context);
    const std::string origin = "https://" + socket.address().toString();

    Counters counters;
    TokenStore tokens(secrets, counters, options_.tokenTtl);
    OAuthServer oauth(credentials, tokens, counters);
    ApiAuthenticator authenticator(credentials, tokens);
    PagingQuirks paging;
    ApiHandlers api(data, authenticator, origin, &paging);
    FaultInjector faults;
    std::atomic<std::int64_t> latencyMs{options_.latency.count()};
    Controls controls(credentials, faults, oauth, tokens, counters, latencyMs, &paging);

    const OAuthEndpoints endpoints(options_.oauthStyle, options_.oauthQuery);

    Poco::ThreadPool pool(kMinThreads, kMaxThreads);
    auto* params = new Poco::Net::HTTPServerParams;  // HTTPServer takes ownership
    params->setMaxThreads(kMaxThreads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    Poco::Net::HTTPServer server(
        new RequestRouter(api, oauth, endpoints, controls, faults, counters, latencyMs,
                          logger_),  // owned by server
        pool, socket, params);
    server.start();

    if (auto written = writeFileAtomically(
            readyFile, readyJson(origin, endpoints, files->caFile, credentials), 0600);
        !written) {
      logger_.error("%s", written.error().message);
      server.stopAll(true);
      return 1;
    }
    logger_.information("listening on %s (%d sites, generated in %d ms, %d ms CPU); ready file %s",
                        origin, options_.sites, static_cast<int>(generated.count()), generatedCpuMs,
                        readyFile);

    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    int signal = 0;
    while (sigwait(&stopSignals, &signal) != 0) {
    }
    logger_.information("signal %d: stopping", signal);
    server.stopAll(true);
    pool.joinAll();
    ::unlink(readyFile.c_str());
  } catch (const Poco::Exception& e) {
    logger_.error("server failed: %s", e.displayText());
    exitCode = 1;
  } catch (const std::exception& e) {
    logger_.error("server failed: %s", std::string(e.what()));
    exitCode = 1;
  }
  Poco::Net::uninitializeSSL();
  return exitCode;
}

}  // namespace wpe
