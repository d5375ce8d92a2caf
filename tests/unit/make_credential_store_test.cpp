#include "daemon/credentials/make_credential_store.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>

TEST_CASE("makeCredentialStore: credential_store = memory keeps secrets in RAM and says so",
          "[make_credential_store]") {
  Poco::Logger& logger = Poco::Logger::get("make_credential_store_test");
  auto store = wpe::makeCredentialStore(wpe::CredentialStoreKind::Memory, logger);
  REQUIRE(store);
  CHECK(store->probe().state == wpe::StoreState::Memory);
  REQUIRE(store->save("default", {wpe::AuthKind::ApiKey, wpe::Secret("k")}));
  CHECK((*store->load("default"))->value.reveal() == "k");
}
