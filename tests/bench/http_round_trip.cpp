#include "http_round_trip.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace wpe::bench {

namespace {

// 64 KiB of headers is far beyond anything the daemon sends; past it the peer is not HTTP.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;
// Enough of an error body to read the daemon's {"error":{…}} without flooding the terminal.
constexpr std::size_t kMaxShownBody = 600;

// The load generator's own parsing is counted against the server in the ratio to the raw
// socket, so it allocates nothing per response: views into the receive buffer.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equalsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
  }
  return true;
}

bool containsLower(std::string_view text, std::string_view lower) {
  for (std::size_t i = 0; i + lower.size() <= text.size(); ++i) {
    if (equalsLower(text.substr(i, lower.size()), lower)) return true;
  }
  return false;
}

std::string shown(std::string_view body) {
  if (body.size() <= kMaxShownBody) return std::string(body);
  return std::string(body.substr(0, kMaxShownBody)) + "… (" + std::to_string(body.size()) +
         " bytes)";
}

}  // namespace

HttpRoundTrip::HttpRoundTrip(UnixStream stream, std::string path)
    : stream_(std::move(stream)),
      request_("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n") {}

Result<std::unique_ptr<HttpRoundTrip>> HttpRoundTrip::connect(const std::string& socketPath,
                                                              const std::string& path,
                                                              std::chrono::milliseconds timeout) {
  auto stream = UnixStream::connect(socketPath, timeout);
  if (!stream) return stream.error();
  return std::make_unique<HttpRoundTrip>(std::move(stream.value()), path);
}

Status HttpRoundTrip::fill() {
  auto n = stream_.readSome(scratch_.data(), scratch_.size());
  if (!n) return n.error();
  if (*n == 0) {
    return Error(ErrorCode::Unavailable,
                 buffer_.empty() ? "the server closed the keep-alive connection"
                                 : "the server closed the connection in the middle of a response");
  }
  buffer_.append(scratch_.data(), *n);
  return {};
}

Status HttpRoundTrip::ensure(std::size_t bytes) {
  while (buffer_.size() < bytes) {
    if (auto s = fill(); !s) return s;
  }
  return {};
}

Result<std::size_t> HttpRoundTrip::readLine(std::size_t from) {
  std::size_t searchFrom = from;
  for (;;) {
    auto end = buffer_.find("\r\n", searchFrom);
    if (end != std::string::npos) return end;
    if (buffer_.size() - from > kMaxHeadBytes) {
      return Error(ErrorCode::HeadersTooLarge, "a response line is longer than 64 KiB");
    }
    // The buffer may end in the "\r" of a "\r\n" split across reads.
    searchFrom = std::max(from, buffer_.empty() ? 0 : buffer_.size() - 1);
    if (auto s = fill(); !s) return s.error();
  }
}

Result<HttpRoundTrip::Head> HttpRoundTrip::readHead(std::size_t& headEnd) {
  std::size_t searched = 0;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n", searched)) == std::string::npos) {
    if (buffer_.size() > kMaxHeadBytes) {
      return Error(ErrorCode::HeadersTooLarge, "response headers are longer than 64 KiB");
    }
    searched = buffer_.size() >= 3 ? buffer_.size() - 3 : 0;
    if (auto s = fill(); !s) return s.error();
  }
  headEnd = end + 4;

  Head head;
  std::size_t lineEnd = buffer_.find("\r\n");
  head.statusLine = buffer_.substr(0, lineEnd);
  // "HTTP/1.1 200 OK": the code is the three digits after the first space.
  auto space = head.statusLine.find(' ');
  if (head.statusLine.compare(0, 5, "HTTP/") != 0 || space == std::string::npos ||
      head.statusLine.size() < space + 4) {
    return Error(ErrorCode::BadRequest, "not an HTTP response: " + shown(head.statusLine));
  }
  head.status = std::atoi(head.statusLine.c_str() + space + 1);

  const std::string_view text(buffer_);
  for (std::size_t pos = lineEnd + 2; pos < end;) {
    std::size_t next = text.find("\r\n", pos);
    std::string_view line = text.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (equalsLower(name, "content-length")) {
      long long length = -1;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
      head.contentLength = ec == std::errc() && ptr == value.data() + value.size() ? length : -1;
    } else if (equalsLower(name, "transfer-encoding")) {
      head.chunked = containsLower(value, "chunked");
    } else if (equalsLower(name, "connection")) {
      head.close = containsLower(value, "close");
    }
  }
  return head;
}

// Chunks: "<hex size>[;ext]\r\n<data>\r\n" … "0\r\n" [trailers] "\r\n". Returns the index just
// past the body.
Result<std::size_t> HttpRoundTrip::readChunkedBody(std::size_t from, std::string& body) {
  std::size_t pos = from;
  for (;;) {
    auto lineEnd = readLine(pos);
    if (!lineEnd) return lineEnd.error();
    std::size_t size = std::strtoull(buffer_.c_str() + pos, nullptr, 16);
    pos = *lineEnd + 2;
    if (size == 0) break;
    if (auto s = ensure(pos + size + 2); !s) return s.error();
    body.append(buffer_, pos, size);
    pos += size + 2;
  }
  for (;;) {  // trailers, up to the empty line
    auto lineEnd = readLine(pos);
    if (!lineEnd) return lineEnd.error();
    bool empty = *lineEnd == pos;
    pos = *lineEnd + 2;
    if (empty) return pos;
  }
}

Status HttpRoundTrip::run() {
  if (auto s = stream_.writeAll(request_); !s) return s;

  std::size_t headEnd = 0;
  auto head = readHead(headEnd);
  if (!head) return head.error();

  std::string chunked;  // a chunked body, de-chunked; a Content-Length body stays in buffer_
  std::string_view body;
  std::size_t end = headEnd;
  bool noBody = head->status / 100 == 1 || head->status == 204 || head->status == 304;
  if (head->chunked) {
    auto bodyEnd = readChunkedBody(headEnd, chunked);
    if (!bodyEnd) return bodyEnd.error();
    end = *bodyEnd;
    body = chunked;
  } else if (head->contentLength >= 0) {
    end = headEnd + static_cast<std::size_t>(head->contentLength);
    if (auto s = ensure(end); !s) return s;
    body = std::string_view(buffer_).substr(headEnd, end - headEnd);
  } else if (!noBody) {
    return Error(ErrorCode::BadRequest,
                 "response without Content-Length or chunked encoding: " + head->statusLine);
  }
  lastResponseBytes_ = end;

  if (head->status < 200 || head->status > 299) {
    Error error(ErrorCode::UpstreamError, head->statusLine + "\n" + shown(body));
    error.upstreamStatus = head->status;
    return error;
  }
  if (head->close) {
    return Error(ErrorCode::Unavailable,
                 "the server answered 'Connection: close'; the benchmark needs keep-alive");
  }
  buffer_.erase(0, end);
  return {};
}

}  // namespace wpe::bench
