#pragma once
// Text from outside (request paths, site names, upstream messages) goes into logs and error
// messages only through these functions, and each piece of text is escaped exactly once:
// at its source with escapeForLog; the log channel then uses escapeLogLine, which leaves
// those escapes alone (docs/security.md rule 19).
//
// Escapes: C0 controls, DEL and a stray byte of invalid UTF-8 become \xNN; C1 controls and
// the bidirectional controls (utf8_scan.h) become \uXXXX; everything else passes, non-ASCII
// names included. Results are capped, never inside a multibyte character.

#include <cstddef>
#include <string>
#include <string_view>

namespace wpe {

// The escape at the source: also a backslash becomes \x5c, so the text cannot pass itself
// off as an escape. Capped at `maxBytes` of output, then "…".
std::string escapeForLog(std::string_view text, std::size_t maxBytes = 200);

// The escape of a whole log line (StderrJournalChannel): controls as above, a backslash kept,
// so text already escaped by escapeForLog passes unchanged. Capped like escapeForLog.
std::string escapeLogLine(std::string_view text, std::size_t maxBytes);

// Text an upstream server chose (an OAuth error_description or error, the API's "message"):
// at most its first `maxChars` characters (kServerTextChars: 80), escaped with escapeForLog,
// and every token-shaped run — 16 or more characters of [A-Za-z0-9-._~+/=] holding a digit
// or an upper-case letter — replaced by "[redacted]" before the cut, so a server echoing a
// token, a code or a secret cannot put it, or a prefix of it, into a log or an error message.
inline constexpr std::size_t kServerTextChars = 80;
std::string serverTextForLog(std::string_view text, std::size_t maxChars = kServerTextChars);

}  // namespace wpe
