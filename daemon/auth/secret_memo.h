#pragma once
// SecretMemo: a secret text derived from another once, by its first reader, and kept beside
// its source until both go (then wiped, as every Secret). Thread-safe: readers that arrive
// together run `make` once and all get its result. Neither copyable nor movable: it lives in
// an object that is built once and shared (TokenInfo).

#include <mutex>
#include <utility>

#include "common/secret.h"

namespace wpe {

class SecretMemo {
 public:
  SecretMemo() = default;
  SecretMemo(const SecretMemo&) = delete;
  SecretMemo& operator=(const SecretMemo&) = delete;

  // make() → Secret; called at most once (again only if it threw).
  template <class Make>
  const Secret& get(Make&& make) const {
    std::call_once(once_, [&] { value_ = std::forward<Make>(make)(); });
    return value_;
  }

 private:
  mutable std::once_flag once_;
  mutable Secret value_;
};

}  // namespace wpe
