#include "common/terminal_escape.h"

#include "common/utf8_scan.h"

namespace wpe {

std::string escapeForTerminal(std::string_view text, TerminalLayout layout) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Step step = utf8Step(text, pos);
    const char c = text[pos];
    if (!step.valid) {
      appendHexEscape(out, static_cast<unsigned char>(c));
    } else if (layout == TerminalLayout::KeepLines && (c == '\n' || c == '\t')) {
      out += c;
    } else if (!isInvisibleControl(step.codePoint)) {
      out.append(text.substr(pos, step.length));
    } else if (step.codePoint < 0x80) {
      appendHexEscape(out, static_cast<unsigned char>(c));
    } else {
      appendUnicodeEscape(out, step.codePoint);
    }
    pos += step.length;
  }
  return out;
}

}  // namespace wpe
