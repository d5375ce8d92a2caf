#include "tests/sandbox/secret_generator.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace wpe {

std::string SecretGenerator::plainHex(std::size_t bytes) const {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::string SecretGenerator::canary(std::string_view kind, std::size_t bytes) const {
  std::string out(kCanary);
  out += '-';
  out += kind;
  out += '-';
  out += plainHex(bytes);
  return out;
}

}  // namespace wpe
