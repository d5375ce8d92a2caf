#include "common/secret.h"

#include <cstring>

namespace wpe {

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

void Secret::wipe() noexcept {
  // explicit_bzero (glibc): a wipe the compiler may not drop as a dead store, at memset's
  // speed (a byte loop through a volatile pointer was 6 % of a token request; issue 10).
  if (!value_.empty()) ::explicit_bzero(value_.data(), value_.size());
  value_.clear();
}

}  // namespace wpe
