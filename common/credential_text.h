#pragma once
// The one rule for what a credential may contain — an API key, a Basic user id or password,
// an OAuth access or refresh token, a client secret — checked wherever one enters wped or
// wpectl: at login (both sides), when a stored item is read back from the keyring (it may
// have been written by an older version), in token endpoint answers, and, as a last guard,
// on the Authorization header itself (docs/security.md rule 2).
//
//   - printable ASCII only, 0x20–0x7E: RFC 7230 field-vchar plus SP, without obs-text. So no
//     CR, LF, NUL, TAB or other control character, no DEL, no non-ASCII byte: nothing that
//     could end a header line, smuggle a header or a request, or be rewritten on the way;
//   - not empty, and no space at the start or the end (a header parser drops it);
//   - a Basic user id also no ':' (RFC 7617: the first colon ends the user id).
//
// Problems are described without the value: they name what is wrong, never quote it.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace wpe {

enum class CredentialPart { Secret, BasicUserId };

// nullopt when `value` follows the rule; else what is wrong, e.g. "contains a line break
// (CR or LF)". Never contains any part of `value`.
std::optional<std::string> credentialTextProblem(std::string_view value,
                                                 CredentialPart part = CredentialPart::Secret);

// BadRequest "<what> <problem>; <remedy>", or ok. `what` names the credential ("the API
// key"), `remedy` says what to do; neither may hold the value.
Status checkCredentialText(std::string_view value, const std::string& what,
                           const std::string& remedy, CredentialPart part = CredentialPart::Secret);

// The last guard before a header goes on the wire or to a terminal: false when `value`
// holds CR, LF, NUL or any other control character (HTAB aside, RFC 7230 OWS).
bool isSafeHeaderValue(std::string_view value);

}  // namespace wpe
