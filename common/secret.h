#pragma once
// Secret: a string that must never be printed. Redaction by type (docs/security.md rule 4):
// streaming or formatting a Secret yields "[redacted]"; only reveal() gives the bytes, and
// every call site of reveal() is a place that legitimately sends the secret somewhere
// (the keyring, an Authorization header, the socket answer to `token`).
// The buffer is wiped when the Secret is destroyed or overwritten.

#include <ostream>
#include <string>

namespace wpe {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) = default;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { wipe(); }

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret& other) const { return value_ == other.value_; }
  bool operator!=(const Secret& other) const { return !(*this == other); }

 private:
  void wipe() noexcept;
  std::string value_;
};

inline std::ostream& operator<<(std::ostream& out, const Secret&) { return out << "[redacted]"; }

}  // namespace wpe
