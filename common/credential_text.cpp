#include "common/credential_text.h"

namespace wpe {

std::optional<std::string> credentialTextProblem(std::string_view value, CredentialPart part) {
  if (value.empty()) return std::string("is empty");
  // The first offending byte decides the message; its position is not secret, its value is.
  for (unsigned char c : value) {
    if (c == '\r' || c == '\n') return std::string("contains a line break (CR or LF)");
    if (c == '\0') return std::string("contains a NUL byte");
    if (c < 0x20 || c == 0x7f) return std::string("contains a control character");
    if (c > 0x7f) return std::string("contains a non-ASCII character");
    if (c == ':' && part == CredentialPart::BasicUserId) {
      return std::string("contains ':', which ends the user id in HTTP Basic authentication");
    }
  }
  if (value.front() == ' ' || value.back() == ' ') {
    return std::string("starts or ends with a space");
  }
  return std::nullopt;
}

Status checkCredentialText(std::string_view value, const std::string& what,
                           const std::string& remedy, CredentialPart part) {
  auto problem = credentialTextProblem(value, part);
  if (!problem) return {};
  return Error(ErrorCode::BadRequest, what + " " + *problem + "; " + remedy);
}

bool isSafeHeaderValue(std::string_view value) {
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

}  // namespace wpe
