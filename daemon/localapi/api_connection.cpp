#include "daemon/localapi/api_connection.h"

#include <Poco/Logger.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <memory>

#include "common/http_reason.h"
#include "common/log_escape.h"
#include "daemon/localapi/http_request_parser.h"
#include "daemon/localapi/local_api_server.h"

namespace wpe {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The socket in non-blocking mode for this object's life (blocking again afterwards).
class NonBlocking {
 public:
  explicit NonBlocking(int fd) : fd_(fd), flags_(::fcntl(fd, F_GETFL)) {
    ok_ = flags_ >= 0 && ::fcntl(fd_, F_SETFL, flags_ | O_NONBLOCK) == 0;
  }
  ~NonBlocking() {
    if (ok_) ::fcntl(fd_, F_SETFL, flags_);
  }
  NonBlocking(const NonBlocking&) = delete;
  NonBlocking& operator=(const NonBlocking&) = delete;
  explicit operator bool() const { return ok_; }

 private:
  const int fd_;
  const int flags_;
  bool ok_ = false;
};

void appendNumber(std::string& out, std::size_t n) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

int msUntil(SteadyClock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

ApiConnection::ApiConnection(int fd, LocalApiServer& server) : server_(server), fd_(fd) {}

ApiConnection::~ApiConnection() { ::close(fd_); }

bool ApiConnection::peerIsUs() {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd_, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    server_.logger().warning("closing a connection whose peer credentials cannot be read");
    return false;
  }
  peer_.pid = cred.pid;
  peer_.uid = cred.uid;
  if (cred.uid == ::geteuid()) return true;
  server_.noteForeignPeer(cred.uid, cred.pid);
  return false;
}

void ApiConnection::run() {
  // Deleted on every way out (the socket closes with it; a foreign peer gets no byte).
  std::unique_ptr<ApiConnection> self(this);
  if (!peerIsUs()) return;
  if (!server_.enter(fd_)) {
    respond(
        ApiResponse::error(ErrorCode::Unavailable, "too many connections to wped; retry shortly"),
        false);
    server_.leave(fd_);
    return;
  }
  try {
    serve();
  } catch (const std::exception& e) {
    // Last resort: a bug in the connection loop must not take the daemon with it.
    server_.logger().error("connection loop failed: %s", escapeForLog(e.what()));
  }
  server_.leave(fd_);
}

ApiConnection::Wait ApiConnection::readMore(TimePoint deadline) {
  char chunk[16384];
  for (;;) {
    const int ms = msUntil(deadline);
    if (ms == 0) return Wait::Timeout;
    if (!limitReceiveWait(ms)) return Wait::Closed;
    // A blocking recv: one call a request, no poll() beside it (issue 10: the extra recv and
    // poll cost ~10 % of the token benchmark's rate). stop() wakes it by shutting the
    // socket's reading side (LocalApiServer::stop).
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return Wait::Ready;
    }
    if (n == 0) return server_.stopping() ? Wait::Stop : Wait::Closed;
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;  // the deadline?
    return Wait::Closed;
  }
}

bool ApiConnection::limitReceiveWait(int ms) {
  // Kept while within a twentieth (at least 10 ms) of what is left: the idle deadline of a
  // kept-alive connection is set again for every request, and a setsockopt per request
  // would cost what the blocking recv saves. A wait that ends early only loops.
  const int slack = std::max(ms / 20, 10);
  if (receiveWaitMs_ >= ms - slack && receiveWaitMs_ <= ms + slack) return true;
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = static_cast<suseconds_t>(ms % 1000) * 1000;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return false;
  receiveWaitMs_ = ms;
  return true;
}

bool ApiConnection::writeAll(const std::string& head, const std::string& body) {
  auto deadline = SteadyClock::now() + server_.limits().writeTimeout;
  std::size_t total = head.size() + body.size(), sent = 0;
  while (sent < total) {
    iovec iov[2];
    int count = 0;
    if (sent < head.size()) {
      iov[count++] = {const_cast<char*>(head.data() + sent), head.size() - sent};
      if (!body.empty()) iov[count++] = {const_cast<char*>(body.data()), body.size()};
    } else {
      std::size_t off = sent - head.size();
      iov[count++] = {const_cast<char*>(body.data() + off), body.size() - off};
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      // The deadline bounds a stall, not the whole answer: a slow reader of a big answer
      // that keeps taking bytes is served; one that stops reading is dropped.
      deadline = SteadyClock::now() + server_.limits().writeTimeout;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitWritable(deadline)) return false;
      continue;
    }
    return false;  // EPIPE, ECONNRESET: the client went away
  }
  return true;
}

bool ApiConnection::waitWritable(TimePoint deadline) {
  pollfd fds[2] = {{fd_, POLLOUT, 0}, {server_.stopFd(), POLLIN, 0}};
  int ms = msUntil(deadline);
  if (ms == 0 || ::poll(fds, 2, ms) <= 0 || fds[1].revents != 0) {
    server_.logger().notice("dropping a client that does not read its answer");
    return false;
  }
  return true;
}

bool ApiConnection::sendFile(int fd, std::size_t size) {
  // sendfile(2) has no MSG_DONTWAIT: the socket is non-blocking while it runs, so a client
  // that stops reading leaves it in waitWritable(), which the deadline and stop() end.
  NonBlocking nonBlocking(fd_);
  if (!nonBlocking) return false;
  auto deadline = SteadyClock::now() + server_.limits().writeTimeout;
  off_t offset = 0;  // sendfile reads at this offset: the shared fd's own offset is untouched
  while (static_cast<std::size_t>(offset) < size) {
    ssize_t n = ::sendfile(fd_, fd, &offset, size - static_cast<std::size_t>(offset));
    if (n > 0) {
      deadline = SteadyClock::now() + server_.limits().writeTimeout;  // as in writeAll
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitWritable(deadline)) return false;
      continue;
    }
    // 0: the file is shorter than its body said (cannot happen: it is ours and unnamed);
    // the length was promised, so the connection closes.
    if (n == 0) server_.logger().error("a cached list's file ended early; closing the client");
    return false;
  }
  return true;
}

bool ApiConnection::respond(const ApiResponse& response, bool keepAlive) {
  // Constant pieces joined and numbers without a string of their own: every append is a
  // call, and this runs for every request (issue 10).
  head_.assign("HTTP/1.1 ");
  appendNumber(head_, static_cast<std::size_t>(response.status));
  head_.append(1, ' ').append(httpReasonPhrase(response.status));
  const std::size_t length = response.contentLength();
  if (length > 0 || response.status != 204) {
    // Empty for a passthrough answer the API sent without one: no Content-Type then, rather
    // than an empty (invalid) one or one made up.
    if (!response.contentType.empty())
      head_.append("\r\nContent-Type: ").append(response.contentType);
    head_.append("\r\nContent-Length: ");
    appendNumber(head_, length);
  }
  if (response.noStore) head_.append("\r\nCache-Control: no-store");
  for (const auto& [name, value] : response.headers)
    head_.append("\r\n").append(name).append(": ").append(value);
  head_.append(keepAlive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
  if (!writeAll(head_, response.secretBody ? response.secretBody->reveal() : response.body))
    return false;
  if (!response.listBody) return true;
  const ListBody& list = *response.listBody;
  if (!(list.fd() >= 0 ? sendFile(list.fd(), list.size()) : writeAll(list.text(), std::string())))
    return false;
  return response.bodyTail.empty() || writeAll(response.bodyTail, std::string());
}

void ApiConnection::serve() {
  const HttpLimits& limits = server_.limits();
  HttpRequestParser parser(limits);
  ApiRequest request;
  request.peer = &peer_;
  buffer_.reserve(16384);
  auto& logger = server_.logger();
  // A new connection must start its request within the header deadline; between kept-alive
  // requests the longer idle timeout applies. Either way the close is silent.
  auto firstByteTimeout = limits.headerTimeout;
  for (;;) {
    parser.reset();
    request.clear();
    if (buffer_.empty()) {
      auto w = readMore(SteadyClock::now() + firstByteTimeout);
      if (w != Wait::Ready) return;
    }
    firstByteTimeout = limits.idleTimeout;
    auto headerDeadline = SteadyClock::now() + limits.headerTimeout;
    TimePoint bodyDeadline{};
    bool continueSent = false;
    HttpRequestParser::State state;
    while ((state = parser.parse(buffer_, request)) == HttpRequestParser::State::NeedMore) {
      if (parser.headersComplete()) {
        if (bodyDeadline == TimePoint{}) bodyDeadline = SteadyClock::now() + limits.bodyTimeout;
        if (parser.expectsContinue() && !continueSent) {
          continueSent = true;
          static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          if (!writeAll(kContinue, std::string())) return;
        }
      }
      auto w = readMore(parser.headersComplete() ? bodyDeadline : headerDeadline);
      if (w == Wait::Timeout) {
        respond(ApiResponse::error(ErrorCode::RequestTimeout, "the request did not arrive in time"),
                false);
        return;
      }
      if (w != Wait::Ready) return;
    }
    if (state == HttpRequestParser::State::Failed) {
      logger.notice("rejected a request: %s", parser.error().message);
      respond(ApiResponse::error(parser.error()), false);
      return;
    }
    ApiResponse response = server_.router().dispatch(request);
    if (logger.debug()) {
      logger.debug("%s %s -> %d", escapeForLog(request.method, 20), escapeForLog(request.path),
                   response.status);
    }
    bool keepAlive = parser.keepAlive() && !server_.stopping();
    buffer_.erase(0, parser.consumed());
    if (!respond(response, keepAlive) || !keepAlive) return;
  }
}

}  // namespace wpe
