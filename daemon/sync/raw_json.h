#pragma once
// Raw slices of a JSON document, so the cache stores each API object exactly as received
// (re-serialising through a DOM would reorder keys, re-escape strings and reformat numbers).
// Only slices: the caller validates the same body with a real parser first.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace wpe {

// The elements of the array under the top-level object key `key`, each with whitespace
// outside strings removed. BadRequest if the document is not an object with such an array.
Result<std::vector<std::string>> compactArrayElements(std::string_view json, std::string_view key);

}  // namespace wpe
