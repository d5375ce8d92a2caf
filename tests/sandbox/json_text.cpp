#include "tests/sandbox/json_text.h"

#include <cstdio>

namespace wpe::json {

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  appendQuoted(out, text);
  return out;
}

void appendQuoted(std::string& out, std::string_view text) {
  out.push_back('"');
  // Fast path: generated names and ids never need escaping; append them in one go.
  bool plain = true;
  for (char c : text)
    plain = plain && c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  if (plain) {
    out.append(text);
    out.push_back('"');
    return;
  }
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string quoteOrNull(const std::string* text) { return text ? quote(*text) : "null"; }

std::string message(std::string_view text) { return "{\"message\":" + quote(text) + "}"; }

}  // namespace wpe::json
