#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "common/auth_kind.h"
#include "common/credential_state.h"
#include "common/list_kind.h"
#include "common/login_state.h"
#include "common/rfc3339.h"
#include "common/store_state.h"
#include "common/token_state.h"

namespace {

// Every entry's name reads back as its value, and no two entries share a name or a value.
template <typename Enum, std::size_t N>
void checkTable(const std::array<wpe::EnumName<Enum>, N>& table) {
  std::set<std::string> names;
  std::set<int> values;
  for (const auto& entry : table) {
    CHECK(wpe::enumName(table, entry.value) == std::string(entry.name));
    CHECK(wpe::enumFromName(table, entry.name) == entry.value);
    names.insert(entry.name);
    values.insert(static_cast<int>(entry.value));
  }
  CHECK(names.size() == N);
  CHECK(values.size() == N);
  CHECK_FALSE(wpe::enumFromName(table, "no-such-name"));
}

}  // namespace

TEST_CASE("EnumNames: each wire state has one name per value, read back exactly", "[enum]") {
  checkTable(wpe::kAuthKindNames);
  checkTable(wpe::kListKindNames);
  checkTable(wpe::kListKindSingulars);
  checkTable(wpe::kLoginStateNames);
  checkTable(wpe::kStoreStateNames);
  checkTable(wpe::kTokenStateNames);
  checkTable(wpe::kCredentialStateNames);
  CHECK(std::string(wpe::authKindName(wpe::AuthKind::OAuth)) == "oauth");
  CHECK(std::string(wpe::listKindName(wpe::ListKind::Installs)) == "installs");
  CHECK(std::string(wpe::loginStateName(wpe::LoginState::Succeeded)) == "succeeded");
  CHECK(std::string(wpe::storeStateName(wpe::StoreState::Locked)) == "locked");
  CHECK(std::string(wpe::tokenStateName(wpe::TokenState::LoginRequired)) == "login_required");
  CHECK(std::string(wpe::credentialStateName(wpe::CredentialState::StoreLocked)) ==
        "keyring_locked");
}

TEST_CASE("Rfc3339: one parser for wped and wpectl", "[rfc3339]") {
  CHECK(wpe::parseRfc3339Seconds("2025-07-10 09:59:58Z") == 1752141598);
  CHECK(wpe::parseRfc3339Seconds("2025-07-10t09:59:58.5-00:30") == 1752141598 + 1800);
  CHECK_FALSE(wpe::parseRfc3339Seconds("2025-07-10T09:59:58.Z"));
  CHECK_FALSE(wpe::parseRfc3339Seconds("2025-07-10T09:59:58.0000000000000000000000Z"));
  CHECK_FALSE(wpe::parseRfc3339Seconds("2025-07-10T09:59:58+0200"));
  CHECK(wpe::formatRfc3339Seconds(1752141598) == "2025-07-10T09:59:58Z");
  CHECK(wpe::formatRfc3339Seconds(0) == "1970-01-01T00:00:00Z");
}
