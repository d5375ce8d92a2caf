#include "daemon/auth/token_snapshot.h"

namespace wpe {

const char* tokenStateName(TokenState state) {
  switch (state) {
    case TokenState::None:
      return "none";
    case TokenState::Valid:
      return "valid";
    case TokenState::Refreshing:
      return "refreshing";
    case TokenState::LoginRequired:
      return "login_required";
    case TokenState::Error:
      return "error";
  }
  return "error";
}

}  // namespace wpe
