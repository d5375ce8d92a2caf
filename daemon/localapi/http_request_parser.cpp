#include "daemon/localapi/http_request_parser.h"

#include <string>

#include "common/log_escape.h"

namespace wpe {
namespace {

// RFC 9110 tchar: the characters allowed in methods and header names.
bool isTokenChar(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decodeQuery(std::string_view raw, std::multimap<std::string, std::string>& out) {
  while (!raw.empty()) {
    auto amp = raw.find('&');
    auto pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name, value;
    if (!percentDecode(pair.substr(0, eq), name, true)) return false;
    if (eq != std::string_view::npos && !percentDecode(pair.substr(eq + 1), value, true))
      return false;
    out.emplace(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

bool percentDecode(std::string_view in, std::string& out, bool plusIsSpace) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

void HttpRequestParser::reset() {
  stage_ = Stage::RequestLine;
  pos_ = headerStart_ = bodyStart_ = contentLength_ = consumed_ = 0;
  expectContinue_ = false;
  keepAlive_ = true;
  error_ = Error();
}

HttpRequestParser::State HttpRequestParser::fail(ErrorCode code, std::string message) {
  error_ = Error(code, std::move(message));
  keepAlive_ = false;
  return State::Failed;
}

HttpRequestParser::State HttpRequestParser::parse(std::string_view buffer, ApiRequest& request) {
  if (stage_ == Stage::RequestLine) {
    // RFC 9112 §2.2: ignore empty lines before the request line (bounded by the same limit).
    while (pos_ < buffer.size() && (buffer[pos_] == '\r' || buffer[pos_] == '\n')) ++pos_;
    auto eol = buffer.find('\n', pos_);
    std::size_t lineLength = (eol == std::string_view::npos ? buffer.size() : eol) - pos_;
    if (lineLength > limits_.maxRequestLine || pos_ > limits_.maxRequestLine) {
      return fail(ErrorCode::UriTooLong, "the request line is longer than " +
                                             std::to_string(limits_.maxRequestLine) + " bytes");
    }
    if (eol == std::string_view::npos) return State::NeedMore;
    auto line = buffer.substr(pos_, eol - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto s = parseRequestLine(line, request); s == State::Failed) return s;
    pos_ = eol + 1;
    headerStart_ = pos_;
    stage_ = Stage::Headers;
  }
  while (stage_ == Stage::Headers) {
    auto eol = buffer.find('\n', pos_);
    std::size_t end = eol == std::string_view::npos ? buffer.size() : eol + 1;
    if (end - headerStart_ > limits_.maxHeaderBytes) {
      return fail(ErrorCode::HeadersTooLarge, "the request headers are larger than " +
                                                  std::to_string(limits_.maxHeaderBytes) +
                                                  " bytes");
    }
    if (eol == std::string_view::npos) return State::NeedMore;
    auto line = buffer.substr(pos_, eol - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = eol + 1;
    if (line.empty()) {
      if (auto s = finishHeaders(request); s == State::Failed) return s;
      bodyStart_ = pos_;
      stage_ = Stage::Body;
      break;
    }
    if (auto s = parseHeaderLine(line, request); s == State::Failed) return s;
  }
  if (stage_ == Stage::Body) {
    if (buffer.size() - bodyStart_ < contentLength_) return State::NeedMore;
    request.body.assign(buffer.substr(bodyStart_, contentLength_));
    consumed_ = bodyStart_ + contentLength_;
    stage_ = Stage::Done;
  }
  return State::Complete;
}

HttpRequestParser::State HttpRequestParser::parseRequestLine(std::string_view line,
                                                             ApiRequest& request) {
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(ErrorCode::BadRequest, "malformed request line (want: METHOD /path HTTP/1.1)");
  }
  auto method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto version = line.substr(sp2 + 1);
  if (!isToken(method)) return fail(ErrorCode::BadRequest, "malformed method");
  if (version == "HTTP/1.1") {
    request.minorVersion = 1;
  } else if (version == "HTTP/1.0") {
    request.minorVersion = 0;
    keepAlive_ = false;
  } else {
    return fail(ErrorCode::BadRequest, "unsupported protocol version (want HTTP/1.1)");
  }
  if (target.empty() || target.front() != '/') {
    return fail(ErrorCode::BadRequest, "the request target must be a path starting with /");
  }
  for (unsigned char c : target) {
    if (c <= 0x20 || c >= 0x7f) {
      return fail(ErrorCode::BadRequest, "control, space or non-ASCII bytes in the request target");
    }
  }
  request.method.assign(method);
  request.target.assign(target);
  auto q = target.find('?');
  auto hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  request.path.assign(target.substr(0, q));
  if (q != std::string_view::npos && q < target.size()) {
    request.rawQuery.assign(target.substr(q + 1));
    if (!decodeQuery(request.rawQuery, request.query)) {
      return fail(ErrorCode::BadRequest, "malformed %-escape in the query string");
    }
  }
  return State::NeedMore;
}

HttpRequestParser::State HttpRequestParser::parseHeaderLine(std::string_view line,
                                                            ApiRequest& request) {
  if (request.headers.size() >= limits_.maxHeaderFields) {
    return fail(ErrorCode::HeadersTooLarge,
                "more than " + std::to_string(limits_.maxHeaderFields) + " request header fields");
  }
  if (line.front() == ' ' || line.front() == '\t') {
    return fail(ErrorCode::BadRequest, "folded header lines are not allowed");
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
    return fail(ErrorCode::BadRequest, "malformed header line");
  }
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      return fail(ErrorCode::BadRequest, "control character in a header value");
    }
  }
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = lower(c);
  request.headers.emplace_back(std::move(name), std::string(value));
  return State::NeedMore;
}

HttpRequestParser::State HttpRequestParser::finishHeaders(ApiRequest& request) {
  bool haveLength = false, haveHost = false, transferEncoding = false;
  for (const auto& [name, value] : request.headers) {
    if (name == "content-length") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
        return fail(ErrorCode::BadRequest, "malformed Content-Length");
      }
      // More digits than any allowed size: too large, whatever the number.
      std::size_t length = value.size() > 15 ? limits_.maxBodyBytes + 1 : std::stoull(value);
      if (haveLength && length != contentLength_) {
        return fail(ErrorCode::BadRequest, "conflicting Content-Length headers");
      }
      contentLength_ = length;
      haveLength = true;
    } else if (name == "transfer-encoding") {
      transferEncoding = true;
    } else if (name == "host") {
      haveHost = true;
    } else if (name == "connection") {
      if (iequals(value, "close")) keepAlive_ = false;
      if (iequals(value, "keep-alive")) keepAlive_ = true;
    } else if (name == "expect") {
      if (!iequals(value, "100-continue")) {
        return fail(ErrorCode::BadRequest, "unsupported Expect: " + escapeForLog(value, 40));
      }
      expectContinue_ = true;
    }
  }
  if (transferEncoding && haveLength) {
    // Request smuggling territory (RFC 9112 §6.1): never guess which one the sender meant.
    return fail(ErrorCode::BadRequest, "Transfer-Encoding together with Content-Length");
  }
  if (transferEncoding) {
    return fail(ErrorCode::BadRequest,
                "Transfer-Encoding request bodies are not accepted; send Content-Length");
  }
  if (request.minorVersion == 1 && !haveHost) {
    return fail(ErrorCode::BadRequest, "HTTP/1.1 request without a Host header");
  }
  if (contentLength_ > limits_.maxBodyBytes) {
    return fail(ErrorCode::PayloadTooLarge, "the request body is larger than " +
                                                std::to_string(limits_.maxBodyBytes) + " bytes");
  }
  if (contentLength_ == 0) expectContinue_ = false;
  return State::NeedMore;
}

}  // namespace wpe
