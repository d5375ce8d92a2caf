#include "common/terminal_escape.h"

#include <catch2/catch.hpp>

using wpe::escapeForTerminal;
using wpe::TerminalLayout;

TEST_CASE("escapeForTerminal: controls and bidi controls are shown escaped", "[terminal_escape]") {
  CHECK(escapeForTerminal("evil\x1b]0;pwned\x07") == "evil\\x1b]0;pwned\\x07");
  CHECK(escapeForTerminal("a\rb\x7f") == "a\\x0db\\x7f");
  CHECK(escapeForTerminal("\xC2\x9B"
                          "2J") == "\\u009b2J");
  for (const char* bidi : {"\xD8\x9C", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA",
                           "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA9"}) {
    const std::string out = escapeForTerminal(bidi);
    CHECK(out.rfind("\\u", 0) == 0);
    CHECK(out.size() == 6);
  }
}

TEST_CASE("escapeForTerminal: invalid UTF-8 is shown escaped, valid text kept",
          "[terminal_escape]") {
  CHECK(escapeForTerminal("a\xFF"
                          "b") == "a\\xffb");
  CHECK(escapeForTerminal("\xC0\xAF") == "\\xc0\\xaf");           // overlong "/"
  CHECK(escapeForTerminal("\xED\xA0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(escapeForTerminal("\xE2\x80") == "\\xe2\\x80");           // cut short
  CHECK(escapeForTerminal("Caf\xC3\xA9 \xF0\x9F\x98\x80 \\x1b") ==
        "Caf\xC3\xA9 \xF0\x9F\x98\x80 \\x1b");
}

TEST_CASE("escapeForTerminal: KeepLines keeps newlines and tabs only", "[terminal_escape]") {
  CHECK(escapeForTerminal("a\nb\tc", TerminalLayout::OneLine) == "a\\x0ab\\x09c");
  CHECK(escapeForTerminal("a\nb\tc\x1b", TerminalLayout::KeepLines) == "a\nb\tc\\x1b");
}
