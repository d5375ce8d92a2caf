#pragma once
// StoreState: the credential store's state as GET /v1/status shows it
// ("credential_store":{"state":…}).

#include "common/enum_names.h"

namespace wpe {

enum class StoreState {
  Ready,        // the Secret Service answered and the collection is unlocked
  Memory,       // credential_store = memory: secrets in RAM only, lost on restart
  Unavailable,  // no Secret Service (no session bus, or nobody owns org.freedesktop.secrets)
  Locked,       // the collection exists but is locked
};

inline constexpr std::array<EnumName<StoreState>, 4> kStoreStateNames{{
    {StoreState::Ready, "ready"},
    {StoreState::Memory, "memory"},
    {StoreState::Unavailable, "unavailable"},
    {StoreState::Locked, "locked"},
}};

inline const char* storeStateName(StoreState state) { return enumName(kStoreStateNames, state); }

}  // namespace wpe
