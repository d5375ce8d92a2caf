#pragma once
// Invariant checks for the fuzz targets: a broken invariant prints what broke and aborts, which
// libFuzzer reports as a crash with the input saved (docs/fuzzing.md: reproducing a crash).
// Assertions are right here: a target's invariants are statements about the code, not input.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                     \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n  (%s)\n", __FILE__,   \
                   __LINE__, what, #condition);                                         \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace wpe::fuzz {

inline std::string_view bytes(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// True when `haystack` contains `needle` and the needle is long enough to mean something
// (a 1-3 byte "secret" appears in any message by chance).
inline bool leaks(std::string_view haystack, std::string_view needle) {
  return needle.size() >= 4 && haystack.find(needle) != std::string_view::npos;
}

}  // namespace wpe::fuzz
