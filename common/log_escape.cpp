#include "common/log_escape.h"

#include <algorithm>

#include "common/utf8_scan.h"

namespace wpe {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"
constexpr std::string_view kRedacted = "[redacted]";
// 16: shorter random tokens are too weak to be used, longer words without a digit or a
// capital (error codes such as unsupported_response_type) stay readable.
constexpr std::size_t kTokenRun = 16;

std::string escape(std::string_view text, std::size_t maxBytes, bool escapeBackslash) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (out.size() >= maxBytes) {
      out += kEllipsis;
      break;
    }
    const Utf8Step step = utf8Step(text, pos);
    if (!step.valid) {
      appendHexEscape(out, static_cast<unsigned char>(text[pos]));
    } else if (step.codePoint < 0x80 &&
               (isInvisibleControl(step.codePoint) || (escapeBackslash && text[pos] == '\\'))) {
      appendHexEscape(out, static_cast<unsigned char>(text[pos]));
    } else if (isInvisibleControl(step.codePoint)) {
      appendUnicodeEscape(out, step.codePoint);
    } else {
      out.append(text.substr(pos, step.length));
    }
    pos += step.length;
  }
  return out;
}

bool isTokenChar(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

// Token-shaped runs replaced by "[redacted]" (see serverTextForLog).
std::string redactTokens(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = pos;
    bool random = false;
    while (end < text.size() && isTokenChar(static_cast<unsigned char>(text[end]))) {
      const char c = text[end];
      random = random || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      ++end;
    }
    if (end == pos) {
      out += text[pos++];
      continue;
    }
    if (end - pos >= kTokenRun && random) {
      out += kRedacted;
    } else {
      out.append(text.substr(pos, end - pos));
    }
    pos = end;
  }
  return out;
}

// The first `maxChars` characters (code points; an invalid byte counts as one) of `text`.
std::string_view firstChars(std::string_view text, std::size_t maxChars, bool& cut) {
  std::size_t pos = 0, count = 0;
  while (pos < text.size() && count < maxChars) {
    pos += utf8Step(text, pos).length;
    ++count;
  }
  cut = pos < text.size();
  return text.substr(0, pos);
}

}  // namespace

std::string escapeForLog(std::string_view text, std::size_t maxBytes) {
  return escape(text, maxBytes, true);
}

std::string escapeLogLine(std::string_view text, std::size_t maxBytes) {
  return escape(text, maxBytes, false);
}

std::string serverTextForLog(std::string_view text, std::size_t maxChars) {
  bool cut = false;
  const std::string redacted = redactTokens(text);
  std::string out = escapeForLog(firstChars(redacted, maxChars, cut), std::string::npos);
  if (cut) out += kEllipsis;
  return out;
}

}  // namespace wpe
