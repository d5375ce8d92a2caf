#include "tests/sandbox/json_text.h"

#include "common/wire.h"

namespace wpe::json {

// The quoting itself is the local API's (common/wire.h): one JSON string writer in the tree.
std::string quote(std::string_view text) { return jsonQuote(text); }

void appendQuoted(std::string& out, std::string_view text) {
  // Fast path: generated names and ids never need escaping; append them in one go.
  for (char c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      out += jsonQuote(text);
      return;
    }
  }
  out.push_back('"');
  out.append(text);
  out.push_back('"');
}

std::string quoteOrNull(const std::string* text) { return text ? quote(*text) : "null"; }

std::string message(std::string_view text) { return "{\"message\":" + quote(text) + "}"; }

}  // namespace wpe::json
