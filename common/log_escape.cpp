#include "common/log_escape.h"

#include <algorithm>
#include <cstdio>

namespace wpe {

std::string escapeForLog(std::string_view text, std::size_t maxBytes) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 8);
  for (unsigned char c : text) {
    if (out.size() >= maxBytes) {
      out += "…";
      break;
    }
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);  // UTF-8 continuation bytes pass: names may be non-ASCII
    }
  }
  return out;
}

}  // namespace wpe
