#pragma once
// PocoHttpTransport: the real HttpTransport and the only code that opens TLS sessions.
//
//  - https:// through Poco::Net::HTTPSClientSession with a Context of VERIFY_STRICT (chain and
//    host name checked, also for loopback), trusting options.caFile when set and the system
//    store otherwise. One Context per caFile, built on first use and cached until
//    reloadTrust(). Without a caFile and with no system CA certificates (SystemTrustStore)
//    nothing is sent: the error says to install ca-certificates or set ca_file.
//  - http:// only to loopback hosts; anything else is refused before a socket is opened.
//  - Connections are reused: idle sessions are pooled per (scheme, host, port, caFile), taken
//    for one exchange and returned after the whole response was read; a session whose exchange
//    failed is discarded. Concurrent send() calls therefore never share a session.
//  - Every exchange is armed on the DeadlineWatch for options.totalTimeout, and the transport
//    opens each socket itself (then hands it to POCO's session), so it always knows the fd
//    the watch must shut down: past the deadline, or when wped stops (cancelAll()), a blocked
//    connect, TLS handshake, write or read returns at once. A host name is looked up on a
//    thread of its own (getaddrinfo(3) cannot be interrupted), so a resolver that does not
//    answer is cut at the deadline or the stop too; the abandoned lookup ends on its own.
//  - Redirects are never followed (a 3xx is returned as it is). Bodies above
//    options.maxBodyBytes are an error. The Authorization value is set on the request and
//    never logged.
//
// Errors (never exceptions): UpstreamUnreachable naming host:port and what failed (DNS,
// connect, timeout, TLS verification — naming the ca_file used, or saying to set one —, read);
// UpstreamError for a body over the cap or a malformed response; BadRequest for a URL it refuses;
// Unavailable for a ca_file that cannot be loaded, or no ca_file and no system CA certificates.
//
// Requires an SslInitializer alive for the whole lifetime, and the DeadlineWatch (started).
// Thread-safe.

#include <Poco/AutoPtr.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "daemon/upstream/http_transport.h"

namespace Poco {
class Logger;
namespace Net {
class Context;
class HTTPClientSession;
class SocketAddress;
}  // namespace Net
}  // namespace Poco

namespace wpe {

class DeadlineWatch;
class SocketCutter;
struct UpstreamUrl;

class PocoHttpTransport final : public HttpTransport {
 public:
  // A host name's address; throws Poco::Exception (DNSException: the name does not resolve).
  // May block for as long as the resolver takes; called on a thread of its own.
  using HostResolver =
      std::function<Poco::Net::SocketAddress(const std::string& host, std::uint16_t port)>;

  // maxIdlePerHost: idle sessions kept per pool key; more are closed when returned.
  // resolver: getaddrinfo(3) through POCO when empty (tests give one that never answers).
  PocoHttpTransport(Poco::Logger& logger, DeadlineWatch& watch, std::size_t maxIdlePerHost = 4,
                    HostResolver resolver = nullptr);
  ~PocoHttpTransport() override;

  Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options) override;
  SendOutcome sendWithPhase(const HttpRequest& request, const TransportOptions& options) override;

  // Forgets every cached Context and closes every idle connection, so the next HTTPS request
  // reads its CA file (or the system store) as it is on disk now; `wpectl reload` calls it. A
  // connection in use keeps its exchange and is discarded afterwards, never pooled again.
  void reloadTrust() EXCLUDES(mutex_);

 private:
  using SessionPtr = std::unique_ptr<Poco::Net::HTTPClientSession>;
  struct Connection {
    SessionPtr session;
    int fd = -1;  // the session's socket, for the DeadlineWatch's shutdown(2)
  };

  Result<Poco::AutoPtr<Poco::Net::Context>> contextFor(const TransportOptions& options)
      EXCLUDES(mutex_);
  // A usable idle connection from the pool, or none.
  std::optional<Connection> takeIdle(const std::string& key, std::uint64_t& generation)
      EXCLUDES(mutex_);
  // A new connection (TCP, then TLS for https), its fd registered with `cutter` before the
  // connect starts. Throws Poco::Exception like the session would.
  Result<Connection> open(const UpstreamUrl& url, const TransportOptions& options,
                          SocketCutter& cutter);
  void returnSession(const std::string& key, Connection connection, std::uint64_t generation)
      EXCLUDES(mutex_);
  // The host's address: an IP literal at once, a name through resolver_ on a thread of its
  // own, waited for until it answers or `cutter` cuts (then Poco::TimeoutException).
  Poco::Net::SocketAddress resolve(const UpstreamUrl& url, SocketCutter& cutter);
  SendOutcome exchange(Poco::Net::HTTPClientSession& session, const UpstreamUrl& url,
                       const HttpRequest& request, const TransportOptions& options,
                       bool& keepSession);

  Poco::Logger& logger_;
  DeadlineWatch& watch_;
  std::size_t maxIdlePerHost_;
  HostResolver resolver_;
  Mutex mutex_;
  std::map<std::string, Poco::AutoPtr<Poco::Net::Context>> contexts_ GUARDED_BY(mutex_);
  std::map<std::string, std::vector<Connection>> idle_ GUARDED_BY(mutex_);
  // Bumped by reloadTrust(); a session taken under an older generation may hold an old
  // Context, so it is not pooled again.
  std::uint64_t generation_ GUARDED_BY(mutex_) = 0;
  // "profile|host:port" already warned about plain http://: once per profile and origin, not
  // once per request (a sync of 10,000 sites was 6,000 lines).
  std::set<std::string> plainHttpWarned_ GUARDED_BY(mutex_);
};

}  // namespace wpe
