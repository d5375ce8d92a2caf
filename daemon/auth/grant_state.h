#pragma once
// GrantState: where one oauth profile's grant stands in its TokenManager — exactly one of
// three states, each carrying only the data that exists in it (no flag combinations that
// cannot happen, such as "login required" beside a grant):
//  - GrantMissing: none held — never logged in, logged out, or the keyring could not be
//    read (loadPending: it was locked or unavailable; tick() retries the load).
//  - GrantRejected: login required — the grant was dropped after invalid_grant or after it
//    expired without a refresh token; nothing is retried until install().
//  - GrantHeld: a grant, its boottime deadlines and its refresh schedule.
// Which refresh is in flight, and the last error, are TokenManager's: they span the states.
// Value types; the TokenManager's mutex guards them.

#include <variant>

#include "daemon/auth/oauth_grant.h"
#include "daemon/auth/token_info.h"
#include "daemon/time/clock.h"

namespace wpe {

struct GrantMissing {
  bool loadPending = false;  // the keyring was locked or unavailable: tick() loads again
};

struct GrantRejected {};

struct GrantHeld {
  OAuthGrant grant;
  IssuedToken issued;  // `grant` as token() hands it out; made with it, never changed
  BootTime expiryDeadline{};
  BootTime refreshDeadline{};
  BootTime nextAttempt{};           // backoff: no refresh request before this
  int failures = 0;                 // consecutive transient refresh failures
  bool refreshRefused = false;      // a final refresh error: no automatic refresh any more
  bool persistencePending = false;  // newer than the keyring's copy: tick() saves again
};

using GrantState = std::variant<GrantMissing, GrantRejected, GrantHeld>;

}  // namespace wpe
