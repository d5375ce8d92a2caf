#pragma once
// HttpTransport: one HTTP exchange with the outside world, nothing more (no retries, no
// auth logic). The real one is PocoHttpTransport (NetSSL, VERIFY_STRICT, the system CA store
// or the profile's ca_file, connections reused per host); tests substitute a fake.
// Redirects are never followed. Thread-safe: concurrent send() calls use separate connections.
//
// Errors: UpstreamUnreachable for DNS/connect/TLS/read failures and timeouts (the message
// names the host and, for TLS, says to check ca_file); a response with any status is a value.
// Every exchange has a total deadline (options.totalTimeout: connect, TLS, request, headers
// and body together); past it the exchange fails with UpstreamUnreachable naming the
// deadline and deadlinePassed set. Once wped is stopping, exchanges fail at once with
// Unavailable ("wped is stopping").

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/secret.h"

namespace wpe {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;     // absolute: https://host[:port]/path?query
  HeaderList headers;  // extra headers; framing ones (Host, Content-Length, Connection, …) and
                       // Authorization are set by the transport and ignored here
  std::optional<Secret> authorization;  // the whole Authorization value; never logged
  std::string body;
  std::string contentType;  // empty: no body / no Content-Type
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  HeaderList headers;
  std::string body;

  // First header with this name (case-insensitive), or "".
  std::string header(const std::string& name) const;
};

struct TransportOptions {
  std::chrono::milliseconds connectTimeout{10000};
  std::chrono::milliseconds readTimeout{30000};
  // The whole exchange, whatever the server does (a byte every few seconds resets
  // readTimeout for ever). 60 s: the largest list page takes a second or two; a token request
  // far less. Config: [daemon] upstream_timeout.
  std::chrono::milliseconds totalTimeout{60000};
  std::size_t maxBodyBytes = 64u << 20;  // a larger response is an error, not an OOM
  std::string caFile;                    // empty: the system CA store
  std::string profile;  // error messages ("set ca_file in [profile.P]"); the RateLimitGate key
  // For UpstreamClient, not the transport: while the profile's RateLimitGate is closed, sleep
  // the window out (if it fits the retry policy's waits) instead of answering RateLimited at
  // once. The sync sets it: it must wait, not fail; an interactive caller wants the answer.
  bool waitForRateLimit = false;
};

// Whether a failed exchange may have reached the server. UpstreamClient retries a
// non-idempotent request (POST, PATCH) only when it certainly did not.
enum class SendPhase {
  NotSent,    // failed before the whole request was written (DNS, connect, TLS, write)
  MaybeSent,  // the request went out; the failure came while waiting for or reading the answer
};

struct SendOutcome {
  Result<HttpResponse> result;
  SendPhase failedPhase = SendPhase::MaybeSent;  // meaningful only when !result
  // The total deadline ended the exchange: a server that slow is not asked again at once
  // (UpstreamClient does not retry it), so one call stays within about one deadline.
  bool deadlinePassed = false;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request,
                                    const TransportOptions& options) = 0;

  // send() plus where a failure happened. The default cannot tell, so it says MaybeSent
  // (the safe answer: a POST is then not retried); PocoHttpTransport knows.
  virtual SendOutcome sendWithPhase(const HttpRequest& request, const TransportOptions& options) {
    return SendOutcome{send(request, options), SendPhase::MaybeSent};
  }
};

}  // namespace wpe
