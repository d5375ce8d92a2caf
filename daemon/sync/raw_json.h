#pragma once
// Raw slices of a JSON document, so the cache stores each API object exactly as received
// (re-serialising through a DOM would reorder keys, re-escape strings and reformat numbers).
// Only slices: the caller validates the same body with a real parser first.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace wpe {

// The elements of the array under the top-level object key `key`, each with whitespace
// outside strings removed. BadRequest if the document is not one object (trailing bytes
// included) with such an array, or if a top-level member name repeats.
Result<std::vector<std::string>> compactArrayElements(std::string_view json, std::string_view key);

// One page of a list answer ({"count": N, "results": [...], ...}) in one pass, without a DOM
// of the whole body: the raw text of the top-level "count" value and the compact elements of
// "results" (absent ones stay empty). BadRequest when the body is not one JSON object
// (trailing bytes included) or a top-level member name repeats, so this reader and
// compactArrayElements never read one body two ways. The elements are not validated: the
// caller parses each one.
struct ListPageSlices {
  std::optional<std::string> count;
  std::optional<std::vector<std::string>> results;
};
Result<ListPageSlices> sliceListPage(std::string_view json);

}  // namespace wpe
