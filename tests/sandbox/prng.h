#pragma once
// Prng: a small deterministic generator (splitmix64 seeding xoshiro256**) so the same seed
// and site count always give the same data set, on every machine. Not for secrets —
// SecretGenerator is. Not thread-safe; one per generation run.

#include <cstdint>
#include <string>

namespace wpe {

class Prng {
 public:
  explicit Prng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform-enough in [0, bound) for data generation (bound > 0).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  bool chance(unsigned percent) { return below(100) < percent; }

  // A lowercase RFC 4122 version-4 UUID built from 128 generated bits.
  std::string uuid4() {
    std::uint64_t hi = next();
    std::uint64_t lo = next();
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 15; i >= 0; --i) {
      out.push_back(kDigits[(hi >> (i * 4)) & 0xf]);
      if (i == 8 || i == 4) out.push_back('-');
    }
    out.push_back('-');
    for (int i = 15; i >= 0; --i) {
      out.push_back(kDigits[(lo >> (i * 4)) & 0xf]);
      if (i == 12) out.push_back('-');
    }
    return out;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace wpe
