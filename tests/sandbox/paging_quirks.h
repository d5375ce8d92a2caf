#pragma once
// PagingQuirks: how the list endpoints bend their paging for the tests of a client's page
// walk (docs/sandbox.md, `POST /_sandbox/paging`): a lower page cap than the client asks
// for, irregular page sizes, padded (huge) items, an inflated `count`, chunked answers.
// Off by default; set and read as a whole. Thread-safe.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "tests/sandbox/sandbox_request.h"

namespace wpe {

struct PagingSettings {
  std::size_t maxPageSize = 0;  // 0: the API's own cap (100)
  bool irregular = false;       // page sizes vary with the offset (1..limit), next follows them
  std::size_t padBytes = 0;     // each item gets "padding":"xxx…" of this many bytes
  std::optional<std::size_t> count;  // the `count` reported instead of the real total
  bool chunked = false;              // list answers use chunked transfer encoding
  std::string list;                  // "sites", "installs" or "accounts"; "" = every list

  std::string toJson() const;
};

class PagingQuirks {
 public:
  static constexpr std::size_t kMaxPadBytes = 64u << 20;

  PagingSettings get() const;
  // From a control request's JSON body; replaces every setting (an empty object resets).
  Result<PagingSettings> set(const std::string& body);

  // The settings that apply to `collection`, or the defaults.
  PagingSettings forList(const std::string& collection) const;
  // The number of items the page at `offset` holds when the client asked for `limit`.
  static std::size_t pageLimit(const PagingSettings& settings, std::size_t offset,
                               std::size_t limit);
  // itemJson with the padding field added before its closing brace.
  static std::string pad(const std::string& itemJson, std::size_t bytes);

 private:
  mutable std::mutex mutex_;
  PagingSettings settings_;
};

}  // namespace wpe
