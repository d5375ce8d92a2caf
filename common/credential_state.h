#pragma once
// CredentialState: a profile's credential state as GET /v1/status shows it ("state"), kept by
// daemon/profiles/Profile.

#include "common/enum_names.h"

namespace wpe {

enum class CredentialState {
  Restoring,         // not read from the keyring yet
  LoggedOut,         // no credential stored
  Ready,             // a credential is held and usable
  LoginRequired,     // the API or the token endpoint rejected it
  StoreLocked,       // the keyring is locked: retried every minute
  StoreUnavailable,  // no Secret Service: retried every minute
};

inline constexpr std::array<EnumName<CredentialState>, 6> kCredentialStateNames{{
    {CredentialState::Restoring, "restoring"},
    {CredentialState::LoggedOut, "logged_out"},
    {CredentialState::Ready, "ready"},
    {CredentialState::LoginRequired, "login_required"},
    {CredentialState::StoreLocked, "keyring_locked"},
    {CredentialState::StoreUnavailable, "keyring_unavailable"},
}};

inline const char* credentialStateName(CredentialState state) {
  return enumName(kCredentialStateNames, state);
}

}  // namespace wpe
