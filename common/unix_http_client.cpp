#include "common/unix_http_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/log_escape.h"
#include "common/paths.h"

namespace wpe {
namespace {

using Clock = std::chrono::steady_clock;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string toLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

int remainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

Error brokenAnswer(const std::string& why) {
  return Error(ErrorCode::Internal, "wped's answer was cut short or malformed: " + why);
}

// A fresh connection that wped accepted and then dropped: the daemon (or systemd's socket
// activation) is there but wped died, typically while starting. Only the journal says why.
Error closedUnanswered(const Error& cause) {
  return Error(ErrorCode::Internal,
               "wped closed the connection without answering (" + cause.message +
                   "); it may have stopped while starting: `journalctl --user -u wped` says why");
}

}  // namespace

std::string HttpReply::header(std::string_view lowerName) const {
  for (const auto& [name, value] : headers) {
    if (name == lowerName) return value;
  }
  return {};
}

UnixHttpClient::UnixHttpClient(std::string socketPath, std::chrono::milliseconds timeout)
    : path_(std::move(socketPath)), timeout_(timeout) {}

UnixHttpClient::~UnixHttpClient() { close(); }

void UnixHttpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

Status UnixHttpClient::connect() {
  if (auto ok = checkSocketPath(path_); !ok)
    return Error(ErrorCode::Unavailable, ok.error().message);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    return Error(ErrorCode::Unavailable, std::string("socket(): ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    close();
    return Error(ErrorCode::Unavailable,
                 "cannot connect to " + escapeForLog(path_) + ": " + std::strerror(err));
  }
  return {};
}

Status UnixHttpClient::sendAll(const std::string& data, Clock::time_point deadline) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      int ms = remainingMs(deadline);
      if (ms == 0 || ::poll(&p, 1, ms) == 0) {
        return Error(ErrorCode::RequestTimeout, "timed out sending the request to wped");
      }
      continue;
    }
    return Error(ErrorCode::Internal,
                 std::string("sending to wped failed: ") + std::strerror(errno));
  }
  return {};
}

Result<std::size_t> UnixHttpClient::readSome(Clock::time_point deadline) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n >= 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Error(ErrorCode::Internal,
                   std::string("reading from wped failed: ") + std::strerror(errno));
    }
    pollfd p{fd_, POLLIN, 0};
    int ms = remainingMs(deadline);
    int ready = ms == 0 ? 0 : ::poll(&p, 1, ms);
    if (ready == 0) {
      return Error(ErrorCode::RequestTimeout,
                   "wped did not answer within " + std::to_string(timeout_.count()) + " ms");
    }
  }
}

Result<HttpReply> UnixHttpClient::readReply(Clock::time_point deadline, bool& sawAnyByte,
                                            const BodySink& sink) {
  std::size_t headerEnd;
  while ((headerEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > 64 * 1024) return brokenAnswer("header section too large");
    auto n = readSome(deadline);
    if (!n) return n.error();
    if (n.value() == 0)
      return brokenAnswer(buffer_.empty() ? "connection closed" : "EOF in headers");
    sawAnyByte = true;
  }
  HttpReply reply;
  std::string_view head(buffer_.data(), headerEnd);
  auto lineEnd = head.find("\r\n");
  std::string_view statusLine = head.substr(0, lineEnd);
  if (statusLine.size() < 12 || statusLine.substr(0, 7) != "HTTP/1.") {
    return brokenAnswer("bad status line");
  }
  reply.status = std::atoi(std::string(statusLine.substr(9, 3)).c_str());
  std::size_t contentLength = 0;
  bool hasLength = false, chunked = false, closeAfter = statusLine.substr(0, 8) == "HTTP/1.0";
  std::size_t pos = lineEnd == std::string_view::npos ? head.size() : lineEnd + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    auto line = head.substr(pos, end - pos);
    pos = end + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return brokenAnswer("bad header line");
    std::string name = toLower(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (name == "content-length") {
      contentLength = std::strtoull(value.c_str(), nullptr, 10);
      hasLength = true;
    } else if (name == "transfer-encoding") {
      chunked = toLower(value).find("chunked") != std::string::npos;
    } else if (name == "connection") {
      closeAfter = closeAfter || toLower(value) == "close";
    }
    reply.headers.emplace_back(std::move(name), std::move(value));
  }
  buffer_.erase(0, headerEnd + 4);
  const bool streamed = sink && reply.status >= 200 && reply.status < 300;
  const Error sinkFailed(ErrorCode::Internal, "could not pass on wped's answer (output closed?)");

  if (streamed && hasLength && !chunked) {
    // Piece by piece, each piece handed on as soon as it is read: buffer_ never holds more
    // than one read's worth of the body.
    std::size_t left = contentLength;
    while (left > 0) {
      if (buffer_.empty()) {
        auto n = readSome(deadline);
        if (!n) return n.error();
        if (n.value() == 0) return brokenAnswer("EOF in body");
      }
      const std::size_t piece = std::min(left, buffer_.size());
      if (!sink(std::string_view(buffer_.data(), piece))) return sinkFailed;
      buffer_.erase(0, piece);
      left -= piece;
    }
  } else if (chunked) {
    for (;;) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        auto n = readSome(deadline);
        if (!n) return n.error();
        if (n.value() == 0) return brokenAnswer("EOF in chunk size");
      }
      std::size_t size = std::strtoull(buffer_.substr(0, eol).c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        auto n = readSome(deadline);
        if (!n) return n.error();
        if (n.value() == 0) return brokenAnswer("EOF in chunk");
      }
      reply.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;  // trailers are not used by wped
    }
  } else if (hasLength) {
    buffer_.reserve(contentLength);  // one allocation for a large list, not a dozen regrowths
    while (buffer_.size() < contentLength) {
      auto n = readSome(deadline);
      if (!n) return n.error();
      if (n.value() == 0) return brokenAnswer("EOF in body");
    }
    if (buffer_.size() == contentLength) {
      reply.body.swap(buffer_);  // the usual case: no copy of a large answer
    } else {
      reply.body.assign(buffer_, 0, contentLength);
      buffer_.erase(0, contentLength);
    }
  } else {
    for (;;) {  // no length: the body runs until the server closes
      auto n = readSome(deadline);
      if (!n) return n.error();
      if (n.value() == 0) break;
    }
    reply.body.swap(buffer_);
    closeAfter = true;
  }
  if (streamed && !reply.body.empty()) {
    // Chunked or unframed: read whole above (wped frames its lists with a length).
    if (!sink(reply.body)) return sinkFailed;
    reply.body.clear();
  }
  if (closeAfter) close();
  return reply;
}

Result<HttpReply> UnixHttpClient::request(std::string_view method, std::string_view target,
                                          std::string_view body, const HeaderList& extraHeaders,
                                          const BodySink& sink) {
  out_.clear();
  out_.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
  for (const auto& [name, value] : extraHeaders)
    out_.append(name).append(": ").append(value).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    out_.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    bool hasType = false;
    for (const auto& h : extraHeaders) hasType = hasType || toLower(h.first) == "content-type";
    if (!hasType && !body.empty()) out_.append("Content-Type: application/json\r\n");
  }
  out_.append("\r\n").append(body);

  // A reused connection may have been closed by the daemon's idle timeout: when it ends
  // before a single byte of answer, the request was not processed, so one retry is safe.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    if (!reused) {
      if (auto ok = connect(); !ok) return ok.error();
    }
    auto deadline = Clock::now() + timeout_;
    bool sawAnyByte = false;
    auto sent = sendAll(out_, deadline);
    if (!sent) {
      close();
      if (reused) continue;
      return sent.error().code == ErrorCode::RequestTimeout ? sent.error()
                                                            : closedUnanswered(sent.error());
    }
    auto reply = readReply(deadline, sawAnyByte, sink);
    if (!reply) {
      close();
      const bool unanswered = !sawAnyByte && reply.error().code != ErrorCode::RequestTimeout;
      if (reused && unanswered) continue;
      return unanswered ? closedUnanswered(reply.error()) : reply.error();
    }
    return reply;
  }
  return Error(ErrorCode::Internal, "wped closed the connection twice without answering");
}

}  // namespace wpe
