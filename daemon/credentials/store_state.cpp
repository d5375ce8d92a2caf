#include "daemon/credentials/credential_store.h"

namespace wpe {

const char* storeStateName(StoreState state) {
  switch (state) {
    case StoreState::Ready:
      return "ready";
    case StoreState::Memory:
      return "memory";
    case StoreState::Unavailable:
      return "unavailable";
    case StoreState::Locked:
      return "locked";
  }
  return "unavailable";
}

}  // namespace wpe
