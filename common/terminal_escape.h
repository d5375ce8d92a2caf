#pragma once
// escapeForTerminal: what wpectl's human output does to text it did not write itself (site
// and install names, account fields, error messages from wped or the API), so that nobody who
// can name a site can retitle the user's terminal, recolour it, ring its bell or reorder what
// it shows (docs/security.md rules 19, 20). C0 controls, DEL and stray bytes of invalid
// UTF-8 are shown as \xNN, C1 controls and the bidirectional controls as \uXXXX
// (utf8_scan.h); every other character, non-ASCII included, is kept. A backslash is kept
// too: error messages arrive already escaped by wped and must not be escaped twice. Every
// character of the result is printable, so column widths count it as it is shown.
// --json output never goes through this: it stays byte for byte what wped sent.

#include <string>
#include <string_view>

namespace wpe {

enum class TerminalLayout {
  OneLine,    // newlines and tabs escaped too (table cells, names)
  KeepLines,  // "\n" and "\t" kept (a block of several lines of our own making)
};

std::string escapeForTerminal(std::string_view text,
                              TerminalLayout layout = TerminalLayout::OneLine);

}  // namespace wpe
