#pragma once
// parseJsonObject: the one way handlers read a JSON request body. The body must be valid
// UTF-8, nest at most `maxDepth` levels (a deep "[[[[…" would otherwise recurse through POCO's
// parser) and be a single JSON object. Every failure is BadRequest with a message fit for the
// client (docs/security.md rule 6: malformed JSON, deep nesting, invalid UTF-8 → 400). Thread-safe.

#include <Poco/JSON/Object.h>

#include <string_view>

#include "common/result.h"

namespace wpe {

inline constexpr int kMaxJsonDepth = 32;

Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view body,
                                                int maxDepth = kMaxJsonDepth);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool isValidUtf8(std::string_view text);

}  // namespace wpe
