#include "daemon/config/profile_config.h"

namespace wpe {

const char* authKindName(AuthKind kind) {
  switch (kind) {
    case AuthKind::ApiKey:
      return "api_key";
    case AuthKind::Basic:
      return "basic";
    case AuthKind::OAuth:
      return "oauth";
  }
  return "api_key";
}

}  // namespace wpe
