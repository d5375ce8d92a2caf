#pragma once
// Small helpers for writing compact JSON by hand: the sandbox pre-serialises tens of
// thousands of objects once, and Poco::JSON's stringifier escapes '/' and is slower.

#include <string>
#include <string_view>

namespace wpe::json {

// Appends "text" with quotes (the allocation-free form of quote()).
void appendQuoted(std::string& out, std::string_view text);
// "text" with quotes, escaping quotes, backslashes and control characters.
std::string quote(std::string_view text);
// quote(text), or null when the optional-like pointer is empty.
std::string quoteOrNull(const std::string* text);
// {"message":"…"} — the WP Engine API's error body.
std::string message(std::string_view text);

}  // namespace wpe::json
