// Token endpoint answers (daemon/auth/token_response_parser), read from the authorization
// server. Invariants: never throws; an accepted answer satisfies the documented contract
// (non-empty access token, type "Bearer", expires_in in 1..one year); no failure message
// repeats the access or refresh token the body carried.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/auth/token_response_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// The string values of the secret-bearing members, if the body is a JSON object at all.
std::vector<std::string> secretsIn(const std::string& body) {
  std::vector<std::string> out;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    for (const char* key : {"access_token", "refresh_token", "id_token"}) {
      if (object && object->has(key)) out.push_back(object->get(key).toString());
    }
  } catch (const std::exception&) {
  }
  return out;
}

// The secret with each letter and digit moved to the next one ('z' → 'a', '9' → '0'): the
// same length and shape (spaces, punctuation and control bytes kept), so it passes or fails
// every credential rule the same way as the original, yet no longer spells the same text.
std::string shifted(const std::string& secret) {
  std::string out = secret;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = c == 'z' ? 'a' : static_cast<char>(c + 1);
    else if (c >= 'A' && c <= 'Z') c = c == 'Z' ? 'A' : static_cast<char>(c + 1);
    else if (c >= '0' && c <= '9') c = c == '9' ? '0' : static_cast<char>(c + 1);
  }
  return out;
}

// Whether `message` repeats `secret` because of the secret: true only when the secret is in
// the body verbatim and the message for the same body with the secret shifted no longer
// contains it. The message's own words are not a leak: a token "earer" is in "…must be
// \"bearer\"", and a refresh token " end" is in "…a space at the start or end", by chance.
// (A secret with no letter or digit shifts to itself and is never counted: such a secret is
// not told apart from prose here.)
template <typename MessageOf>
bool leaksSecret(const std::string& body, const std::string& secret, const std::string& message,
                 MessageOf messageOf) {
  if (!wpe::fuzz::leaks(message, secret)) return false;
  const auto at = body.find(secret);
  if (at == std::string::npos) return false;
  // Also elsewhere in the body (a token_type or error text holding the same characters): the
  // message may quote that other member, which is allowed server text, not the token.
  if (body.find(secret, at + 1) != std::string::npos) return false;
  const std::string replacement = shifted(secret);
  std::string other = body;
  other.replace(at, secret.size(), replacement);
  return messageOf(other).find(secret) == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the status of an error answer; the rest is the body.
  static const int kStatuses[] = {400, 401, 403, 404, 408, 429, 500, 502, 503, 504, 200, 302};
  const int status = kStatuses[data[0] % (sizeof kStatuses / sizeof kStatuses[0])];
  const std::string body(wpe::fuzz::bytes(data + 1, size - 1));
  const auto secrets = secretsIn(body);

  const wpe::TokenOutcome outcome = wpe::TokenResponseParser::parseSuccess(body);
  if (outcome.ok()) {
    const wpe::TokenResponse& t = *outcome.tokens;
    FUZZ_CHECK(!t.accessToken.empty(), "accepted an empty access token");
    FUZZ_CHECK(t.tokenType == "Bearer", "token type not normalised to Bearer");
    FUZZ_CHECK(t.expiresIn.count() >= 1 &&
                   t.expiresIn <= wpe::TokenResponseParser::kMaxExpiresIn,
               "expires_in outside 1..one year");
  } else {
    auto successMessage = [](const std::string& b) {
      return wpe::TokenResponseParser::parseSuccess(b).failure.message;
    };
    for (const auto& s : secrets) {
      FUZZ_CHECK(!leaksSecret(body, s, outcome.failure.message, successMessage),
                 "a token in a failure message");
    }
  }

  const wpe::TokenFailure failure = wpe::TokenResponseParser::parseError(status, body);
  FUZZ_CHECK(!failure.message.empty(), "an error answer without a message");
  auto errorMessage = [status](const std::string& b) {
    return wpe::TokenResponseParser::parseError(status, b).message;
  };
  for (const auto& s : secrets) {
    FUZZ_CHECK(!leaksSecret(body, s, failure.message, errorMessage), "a token in an error message");
  }
  return 0;
}
