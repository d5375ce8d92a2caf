#pragma once
// Utf8Scan: one step through text that should be UTF-8, for the escaping functions
// (log_escape, terminal_escape). A well-formed sequence (no overlongs, no surrogates, at most
// U+10FFFF) yields its code point and length; anything else yields one invalid byte, so a
// caller shows that byte escaped and carries on with the next. Pure functions.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wpe {

struct Utf8Step {
  char32_t codePoint = 0;  // meaningful only when valid
  std::size_t length = 1;  // bytes consumed
  bool valid = false;
};

// The sequence starting at text[pos] (pos < text.size()).
Utf8Step utf8Step(std::string_view text, std::size_t pos);

// Code points that change how a terminal or a reader sees the text around them: C0 controls,
// DEL, C1 controls, the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069) and the line/paragraph separators U+2028/U+2029.
bool isInvisibleControl(char32_t codePoint);

// "\xNN" for a code point below 0x80 or a stray byte, "\uXXXX" above.
void appendHexEscape(std::string& out, unsigned char byte);
void appendUnicodeEscape(std::string& out, char32_t codePoint);

}  // namespace wpe
