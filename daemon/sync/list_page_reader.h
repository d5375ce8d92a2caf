#pragma once
// readListPage: one page of a list answer ({"count": N, "results": [{…}, …], …}) read in one
// pass over the body, with no DOM (issue 10: POCO's object tree built per item was half of a
// sync's CPU). What it accepts is a subset of what the previous reader (raw_json's slicer, then
// POCO per item) accepted, and it reads each accepted page the same way:
//
//  - The whole body must be one RFC 8259 JSON document: one object, nothing after it; strings
//    well-formed UTF-8 without control characters, escapes valid (\u surrogates paired);
//    numbers in JSON's grammar and within what POCO could hold (integers within int64/uint64,
//    other numbers finite as doubles); nesting at most kMaxListPageDepth deep. Top-level member
//    names must be distinct, compared decoded ("c\u006funt" is "count").
//  - "results", when it is an array, gives the items; each element must be an object with a
//    non-empty string "id" (the first element that is not says why, by its index). The object's
//    member names are compared decoded (as POCO did): "id", "name", "account" and "site" may
//    each appear once (a repeat is refused rather than read two ways); "account"/"site", when
//    objects, give accountId/siteId from their string "id" (which may appear once there too).
//  - Each item's json is the element's text with the whitespace outside strings removed, byte
//    for byte otherwise (the cache stores what the API sent; raw_json's compact form).
//  - "count" is returned as the raw text of its value; the caller checks it.
//
// The error's message says why (without the list's name); code BadRequest. Pure function.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "daemon/cache/cache_store.h"

namespace wpe {

struct ListPage {
  std::optional<std::string> count;  // the raw text of the top-level "count" value
  bool hasResults = false;           // a top-level "results" array was there
  std::vector<CacheItem> items;
  std::size_t itemBytes = 0;  // the items' json bytes
};

// 130: the page's object and its results array, then an item nested at most 128 deep — what
// POCO's parser allowed each item (measured: 128 levels parse, 129 throw). Real objects nest 3.
constexpr std::size_t kMaxListPageDepth = 130;

Result<ListPage> readListPage(std::string_view body);

}  // namespace wpe
