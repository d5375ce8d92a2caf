#include "daemon/auth/url_encoding.h"

#include <cctype>

namespace wpe {

namespace {
std::string encode(std::string_view text, bool spaceAsPlus) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ' && spaceAsPlus) {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::string percentEncode(std::string_view text) { return encode(text, false); }
std::string formEncode(std::string_view text) { return encode(text, true); }

std::string withQuery(const std::string& endpoint, std::string_view params) {
  std::string out = endpoint;
  if (out.find('?') == std::string::npos)
    out += '?';
  else if (out.back() != '?' && out.back() != '&')
    out += '&';
  out += params;
  return out;
}

}  // namespace wpe
