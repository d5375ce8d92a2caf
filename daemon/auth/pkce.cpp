#include "daemon/auth/pkce.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <vector>

namespace wpe {

namespace {
// 32 bytes: RFC 7636 §7.1 recommends 32 octets (256 bits) for the verifier; the same size
// keeps `state` far above the 128 bits the OAuth rule asks for (docs/security.md rule 7).
constexpr std::size_t kRandomBytes = 32;
}  // namespace

std::string Pkce::base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = (byteAt(i) << 16) | (byteAt(i + 1) << 8) | byteAt(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    unsigned v = byteAt(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    unsigned v = (byteAt(i) << 16) | (byteAt(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

Result<std::string> Pkce::randomToken(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    return Error(ErrorCode::Internal, "the system random generator failed (RAND_bytes)");
  }
  std::string out =
      base64Url(std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
  OPENSSL_cleanse(buf.data(), buf.size());
  return out;
}

std::string Pkce::challengeFor(const Secret& verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const std::string& v = verifier.reveal();
  SHA256(reinterpret_cast<const unsigned char*>(v.data()), v.size(), digest);
  return base64Url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result<Pkce> Pkce::generate() {
  auto verifier = randomToken(kRandomBytes);
  if (!verifier) return verifier.error();
  auto state = randomToken(kRandomBytes);
  if (!state) return state.error();
  Pkce p;
  p.verifier = Secret(std::move(verifier).value());
  p.challenge = challengeFor(p.verifier);
  p.state = std::move(state).value();
  return p;
}

bool Pkce::constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wpe
