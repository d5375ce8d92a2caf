#include "daemon/upstream/poco_http_transport.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/Socket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <exception>
#include <istream>
#include <ostream>
#include <thread>

#include "common/credential_text.h"
#include "common/log_escape.h"
#include "daemon/upstream/deadline_watch.h"
#include "daemon/upstream/host_lookup.h"
#include "daemon/upstream/socket_cutter.h"
#include "daemon/upstream/system_trust_store.h"
#include "daemon/upstream/upstream_url.h"
#include "version.h"

namespace wpe {
namespace {

enum class Stage { Connect, Write, Read };

std::string hostPort(const UpstreamUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  return (v6 ? "[" + escapeForLog(url.host) + "]" : escapeForLog(url.host)) + ":" +
         std::to_string(url.port);
}

bool isTlsVerifyFailure(const Poco::Net::SSLException& e) {
  if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e)) return true;
  const std::string text = Poco::toLower(e.displayText());
  return text.find("certificate verify failed") != std::string::npos ||
         text.find("unacceptable certificate") != std::string::npos;
}

bool isReservedHeader(const std::string& name) {
  for (const char* reserved :
       {"Authorization", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Upgrade", "TE", "Trailer", "Proxy-Authorization", "Proxy-Connection"}) {
    if (Poco::icompare(name, reserved) == 0) return true;
  }
  return false;
}

// An idle connection with something to read has been closed by the server (or sent junk):
// using it would fail the next request, and a POST could then not be retried.
bool isUsable(Poco::Net::HTTPClientSession& session) {
  try {
    // Sessions are built on sockets the transport connected; one that lost it cannot
    // reconnect by itself.
    return session.connected() &&
           !session.socket().poll(Poco::Timespan(0),
                                  Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR);
  } catch (const Poco::Exception&) {
    return false;  // a socket that cannot even be polled is not worth reusing
  }
}

Error unreachable(std::string message) {
  return Error(ErrorCode::UpstreamUnreachable, std::move(message));
}

// Turns the exception of a failed exchange into the message a user can act on. Every branch
// names host:port; none includes request headers (the Authorization value).
Error describeFailure(const Poco::Exception& e, Stage stage, const UpstreamUrl& url,
                      const TransportOptions& options) {
  const std::string where = hostPort(url);
  const std::string detail = escapeForLog(e.displayText());
  if (const auto* ssl = dynamic_cast<const Poco::Net::SSLException*>(&e)) {
    if (isTlsVerifyFailure(*ssl)) {
      const std::string profile = options.profile.empty() ? "NAME" : options.profile;
      if (!options.caFile.empty()) {
        // ca_file is set and is what failed: telling the user to set it would send them in a
        // circle. Name the file; a replaced file is read again by `wpectl reload`.
        return unreachable("TLS certificate verification failed for " + escapeForLog(url.host) +
                           " against the CA file " + escapeForLog(options.caFile) +
                           " (ca_file of profile " + profile + "): " + detail +
                           ". Replace that file with the CA certificate that signed the "
                           "server's certificate and run `wpectl reload`");
      }
      return unreachable("TLS certificate verification failed for " + escapeForLog(url.host) +
                         " (" + detail + "). If the API uses a private CA, set ca_file in " +
                         "[profile." + profile + "] and run `wpectl reload`");
    }
    return unreachable("TLS handshake with " + where + " failed (" + detail + ")");
  }
  if (dynamic_cast<const Poco::Net::DNSException*>(&e)) {
    return unreachable("could not resolve " + escapeForLog(url.host) + " (" + detail + ")");
  }
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e)) {
    return unreachable("could not connect to " + where + ": connection refused");
  }
  if (dynamic_cast<const Poco::TimeoutException*>(&e)) {
    if (stage == Stage::Connect) {
      return unreachable("timed out connecting to " + where + " after " +
                         std::to_string(options.connectTimeout.count()) + " ms");
    }
    return unreachable(where + " did not answer within " +
                       std::to_string(options.readTimeout.count()) + " ms");
  }
  if (dynamic_cast<const Poco::Net::NoMessageException*>(&e)) {
    return unreachable(where + " closed the connection without answering");
  }
  if (dynamic_cast<const Poco::Net::MessageException*>(&e)) {
    return Error(ErrorCode::UpstreamError,
                 where + " sent a malformed HTTP response (" + detail + ")");
  }
  const char* what = stage == Stage::Connect ? "connecting to "
                     : stage == Stage::Write ? "sending the request to "
                                             : "reading the response from ";
  return unreachable(std::string(what) + where + " failed (" + detail + ")");
}

// An HTTPS session on a socket the transport connected. HTTPSClientSession's own constructor
// from a socket throws (it sets the port of a connected session); attachSocket() does not.
// With no host set, the session never reconnects by itself (which would open a socket the
// DeadlineWatch does not know about): a pooled session that lost its connection is dropped.
class AttachedHttpsSession final : public Poco::Net::HTTPSClientSession {
 public:
  AttachedHttpsSession(const Poco::Net::SecureStreamSocket& socket, Poco::Net::Context::Ptr context)
      : HTTPSClientSession(std::move(context)) {
    attachSocket(socket);
  }
};

std::string seconds(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

// What an exchange that the DeadlineWatch cut short reports instead of the socket error the
// cut caused (a reset, a truncated body: not what happened).
// lookingUp: the exchange was still waiting for the host's address.
SendOutcome abandoned(AbortReason reason, const UpstreamUrl& url, const TransportOptions& options,
                      SendPhase phase, bool lookingUp = false) {
  if (reason == AbortReason::ShuttingDown) {
    return SendOutcome{Error(ErrorCode::Unavailable, "wped is stopping; the request to " +
                                                         hostPort(url) + " was abandoned"),
                       phase};
  }
  SendOutcome out{
      unreachable(lookingUp ? "looking up " + escapeForLog(url.host) + " took longer than " +
                                  seconds(options.totalTimeout) +
                                  " (upstream_timeout): the system's DNS resolver did not "
                                  "answer; check the network and /etc/resolv.conf"
                            : "the API at " + hostPort(url) + " did not finish answering within " +
                                  seconds(options.totalTimeout) + " (upstream_timeout)"),
      phase};
  out.deadlinePassed = true;
  return out;
}

}  // namespace

PocoHttpTransport::PocoHttpTransport(Poco::Logger& logger, DeadlineWatch& watch,
                                     std::size_t maxIdlePerHost, HostResolver resolver)
    : logger_(logger),
      watch_(watch),
      maxIdlePerHost_(maxIdlePerHost),
      resolver_(resolver ? std::move(resolver)
                         : [](const std::string& host, std::uint16_t port) {
                             return Poco::Net::SocketAddress(host, port);
                           }) {}

PocoHttpTransport::~PocoHttpTransport() = default;

Result<HttpResponse> PocoHttpTransport::send(const HttpRequest& request,
                                             const TransportOptions& options) {
  return sendWithPhase(request, options).result;
}

Result<Poco::Net::Context::Ptr> PocoHttpTransport::contextFor(const TransportOptions& options) {
  const std::string& caFile = options.caFile;
  LockGuard lock(mutex_);
  auto it = contexts_.find(caFile);
  if (it != contexts_.end()) return it->second;
  if (caFile.empty() && !SystemTrustStore::hasCertificates()) {
    // Every verification would fail with "certificate verify failed", which does not say why.
    // Not cached: once ca-certificates is installed the next request uses it. Unavailable, like
    // a broken ca_file: retrying cannot fix it.
    return Error(ErrorCode::Unavailable,
                 "cannot verify TLS certificates: " +
                     SystemTrustStore::advice(options.profile.empty() ? "NAME" : options.profile));
  }
  try {
    // VERIFY_STRICT: chain and host name are checked for every host, loopback included
    // (VERIFY_RELAXED skips the name check there). With a ca_file only that bundle is trusted.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", caFile,
                               Poco::Net::Context::VERIFY_STRICT, 9, caFile.empty());
    contexts_.emplace(caFile, context);
    return context;
  } catch (const Poco::Exception& e) {
    // Unavailable, not UpstreamUnreachable: a broken ca_file is a configuration problem that
    // retrying cannot fix.
    return Error(ErrorCode::Unavailable, "cannot use ca_file " + escapeForLog(caFile) + " (" +
                                             escapeForLog(e.displayText()) +
                                             "); it must be a readable PEM bundle");
  }
}

void PocoHttpTransport::reloadTrust() {
  std::map<std::string, std::vector<Connection>> idle;  // closed after the lock is released
  LockGuard lock(mutex_);
  ++generation_;
  contexts_.clear();  // sessions in use hold their own reference to their Context
  idle.swap(idle_);
}

std::optional<PocoHttpTransport::Connection> PocoHttpTransport::takeIdle(
    const std::string& key, std::uint64_t& generation) {
  std::vector<Connection> stale;  // closed after the lock is released (TLS shutdown writes)
  LockGuard lock(mutex_);
  generation = generation_;
  auto it = idle_.find(key);
  while (it != idle_.end() && !it->second.empty()) {
    Connection connection = std::move(it->second.back());
    it->second.pop_back();
    if (isUsable(*connection.session)) return connection;
    stale.push_back(std::move(connection));
  }
  return std::nullopt;
}

Result<PocoHttpTransport::Connection> PocoHttpTransport::open(const UpstreamUrl& url,
                                                              const TransportOptions& options,
                                                              SocketCutter& cutter) {
  using Poco::Timespan;
  const auto micros = [](std::chrono::milliseconds ms) {
    return Timespan(static_cast<Timespan::TimeDiff>(ms.count()) * 1000);
  };
  Poco::AutoPtr<Poco::Net::Context> context;
  if (url.secure()) {
    auto found = contextFor(options);
    if (!found) return found.error();
    context = *found;
  }
  const Poco::Net::SocketAddress address = resolve(url, cutter);
  // The socket exists (and the cutter knows it) before connect() starts, so a deadline or a
  // shutdown can cut the connect and the TLS handshake too.
  Poco::Net::StreamSocket socket(address.family());
  cutter.setFd(static_cast<int>(socket.impl()->sockfd()));
  socket.connect(address, micros(options.connectTimeout));
  socket.setReceiveTimeout(micros(options.readTimeout));
  socket.setSendTimeout(micros(options.readTimeout));
  socket.setNoDelay(true);
  Connection connection;
  connection.fd = static_cast<int>(socket.impl()->sockfd());
  if (url.secure()) {
    // attach() sets the peer host name (SNI and the VERIFY_STRICT name check) and does the
    // handshake on the same fd, as HTTPSClientSession::connect() would.
    Poco::Net::SecureStreamSocket secure =
        Poco::Net::SecureStreamSocket::attach(socket, url.host, context);
    connection.session = std::make_unique<AttachedHttpsSession>(secure, context);
  } else {
    connection.session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
  }
  connection.session->setKeepAlive(true);
  return connection;
}

Poco::Net::SocketAddress PocoHttpTransport::resolve(const UpstreamUrl& url, SocketCutter& cutter) {
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(url.host, literal)) {
    return Poco::Net::SocketAddress(literal, url.port);  // no lookup to wait for
  }
  auto lookup = std::make_shared<HostLookup>();
  cutter.watchLookup(lookup);
  std::thread([lookup, resolver = resolver_, host = url.host, port = url.port] {
    try {
      lookup->succeed(resolver(host, port));
    } catch (...) {
      lookup->fail(std::current_exception());
    }
  }).detach();
  return lookup->wait(url.host);
}

void PocoHttpTransport::returnSession(const std::string& key, Connection connection,
                                      std::uint64_t generation) {
  LockGuard lock(mutex_);
  if (generation != generation_) return;  // made before reloadTrust(): maybe the old CA
  auto& idle = idle_[key];
  if (idle.size() < maxIdlePerHost_) idle.push_back(std::move(connection));
}

SendOutcome PocoHttpTransport::sendWithPhase(const HttpRequest& request,
                                             const TransportOptions& options) {
  auto url = UpstreamUrl::parse(request.url);
  if (!url) return SendOutcome{url.error(), SendPhase::NotSent};
  // The last guard of the credential rule (common/credential_text.h): a CR, LF or NUL in the
  // Authorization value would add headers or a second request on a pooled connection.
  if (request.authorization && !isSafeHeaderValue(request.authorization->reveal())) {
    return SendOutcome{Error(ErrorCode::BadRequest,
                             "refusing to send an Authorization header that holds a control "
                             "character (CR, LF or NUL); nothing was sent. Log in again"),
                       SendPhase::NotSent};
  }
  if (!url->secure()) {
    bool first = false;
    {
      LockGuard lock(mutex_);
      first = plainHttpWarned_.insert(options.profile + "|" + hostPort(*url)).second;
    }
    if (first) {
      logger_.warning("sending plain http:// to loopback host " + hostPort(*url) +
                      (options.profile.empty() ? "" : " for profile " + options.profile) +
                      " (said once)");
    }
  }
  const std::string key =
      url->scheme + "|" + url->host + "|" + std::to_string(url->port) + "|" + options.caFile;

  auto cutter = std::make_shared<SocketCutter>();
  auto ticket = watch_.arm(options.totalTimeout, [cutter] { cutter->cut(); });
  if (const AbortReason early = ticket->reason(); early != AbortReason::None) {
    return abandoned(early, *url, options, SendPhase::NotSent);  // stopping: nothing is sent
  }
  std::uint64_t generation = 0;
  std::optional<Connection> connection = takeIdle(key, generation);
  SendOutcome outcome{Error(ErrorCode::Internal, "no exchange"), SendPhase::NotSent};
  bool keepSession = false;
  bool lookingUp = false;
  if (connection) {
    cutter->setFd(connection->fd);
  } else {
    try {
      auto opened = open(*url, options, *cutter);
      if (opened) {
        connection = std::move(opened.value());
      } else {
        outcome = SendOutcome{opened.error(), SendPhase::NotSent};
      }
    } catch (const HostLookupAbandoned& e) {
      lookingUp = true;  // only a cut abandons a lookup: the outcome is replaced below
      outcome = SendOutcome{unreachable(e.displayText()), SendPhase::NotSent};
    } catch (const Poco::Exception& e) {
      outcome = SendOutcome{describeFailure(e, Stage::Connect, *url, options), SendPhase::NotSent};
      logger_.debug("upstream exchange failed: " + outcome.result.error().message);
    } catch (const std::exception& e) {
      outcome = SendOutcome{unreachable("connecting to " + hostPort(*url) + " failed (" +
                                        escapeForLog(e.what()) + ")"),
                            SendPhase::NotSent};
    }
  }
  if (connection) outcome = exchange(*connection->session, *url, request, options, keepSession);

  const AbortReason reason = ticket->reason();
  ticket.reset();  // disarmed while the socket is still open: a cut never hits a reused fd
  if (reason != AbortReason::None) {
    keepSession = false;  // its socket was shut down
    if (!outcome.result) {
      outcome = abandoned(reason, *url, options, outcome.failedPhase, lookingUp);
      logger_.debug("upstream exchange ended: " + outcome.result.error().message);
    }
  }
  if (keepSession) returnSession(key, std::move(*connection), generation);
  return outcome;
}

SendOutcome PocoHttpTransport::exchange(Poco::Net::HTTPClientSession& session,
                                        const UpstreamUrl& url, const HttpRequest& request,
                                        const TransportOptions& options, bool& keepSession) {
  using Poco::Timespan;
  const auto micros = [](std::chrono::milliseconds ms) {
    return Timespan(static_cast<Timespan::TimeDiff>(ms.count()) * 1000);
  };
  Stage stage = Stage::Write;  // connected already (open() or the pool)
  try {
    // A pooled session keeps the socket timeouts of its first use; apply this call's.
    session.socket().setReceiveTimeout(micros(options.readTimeout));
    session.socket().setSendTimeout(micros(options.readTimeout));

    Poco::Net::HTTPRequest out(request.method, url.pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : request.headers) {
      // Framing and credentials are the transport's: a caller's copy could smuggle a second
      // Authorization or desynchronise the connection.
      if (isReservedHeader(name)) continue;
      out.add(name, value);
    }
    out.setHost(url.host, url.port);  // the session was built on a socket: it knows no host
    out.set("Accept", "application/json");
    out.set("User-Agent", std::string("wped/") + kVersion);
    if (request.authorization) out.set("Authorization", request.authorization->reveal());
    const bool hasBody = !request.body.empty() || request.method == "POST" ||
                         request.method == "PUT" || request.method == "PATCH";
    if (hasBody) {
      out.setContentLength(static_cast<std::streamsize>(request.body.size()));
      if (!request.contentType.empty()) out.setContentType(request.contentType);
    }
    out.setKeepAlive(true);

    std::ostream& body = session.sendRequest(out);  // writes the header
    body.exceptions(std::ios::badbit);              // rethrow the socket's exception, with its type
    body.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    body.flush();
    stage = Stage::Read;

    Poco::Net::HTTPResponse in;
    std::istream& stream = session.receiveResponse(in);
    stream.exceptions(std::ios::badbit);
    HttpResponse response;
    response.status = static_cast<int>(in.getStatus());
    response.reason = in.getReason();
    for (const auto& [name, value] : in) response.headers.emplace_back(name, value);

    const std::string tooLarge = "the response from " + hostPort(url) + " is larger than " +
                                 std::to_string(options.maxBodyBytes) + " bytes";
    if (in.hasContentLength() && in.getContentLength64() >= 0 &&
        static_cast<std::uint64_t>(in.getContentLength64()) > options.maxBodyBytes) {
      return SendOutcome{Error(ErrorCode::UpstreamError, tooLarge), SendPhase::MaybeSent};
    }
    char buffer[16384];
    while (stream) {
      stream.read(buffer, sizeof buffer);
      const auto n = static_cast<std::size_t>(stream.gcount());
      if (response.body.size() + n > options.maxBodyBytes) {
        return SendOutcome{Error(ErrorCode::UpstreamError, tooLarge), SendPhase::MaybeSent};
      }
      response.body.append(buffer, n);
    }
    const bool bodyless = request.method == "HEAD" || response.status == 204 ||
                          response.status == 304 || response.status < 200;
    if (!bodyless && in.hasContentLength() &&
        response.body.size() != static_cast<std::size_t>(in.getContentLength64())) {
      return SendOutcome{unreachable("the response from " + hostPort(url) + " was cut short (" +
                                     std::to_string(response.body.size()) + " of " +
                                     std::to_string(in.getContentLength64()) + " bytes)"),
                         SendPhase::MaybeSent};
    }
    keepSession = in.getKeepAlive();
    return SendOutcome{std::move(response), SendPhase::MaybeSent};
  } catch (const Poco::Exception& e) {
    // A request that was not completely written cannot have been acted on.
    const SendPhase phase = stage == Stage::Read ? SendPhase::MaybeSent : SendPhase::NotSent;
    Error error = describeFailure(e, stage, url, options);
    logger_.debug("upstream exchange failed: " + error.message);
    return SendOutcome{std::move(error), phase};
  } catch (const std::exception& e) {
    const SendPhase phase = stage == Stage::Read ? SendPhase::MaybeSent : SendPhase::NotSent;
    return SendOutcome{
        unreachable("talking to " + hostPort(url) + " failed (" + escapeForLog(e.what()) + ")"),
        phase};
  }
}

}  // namespace wpe
