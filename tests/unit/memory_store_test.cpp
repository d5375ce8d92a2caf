#include "daemon/credentials/memory_store.h"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using wpe::AuthKind;
using wpe::MemoryStore;
using wpe::Secret;
using wpe::StoredCredential;

TEST_CASE("MemoryStore: a saved credential loads back", "[memory_store]") {
  MemoryStore store;
  REQUIRE(store.save("default", {AuthKind::ApiKey, Secret("user:key")}));
  auto loaded = store.load("default");
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->kind == AuthKind::ApiKey);
  CHECK((*loaded)->value.reveal() == "user:key");
}

TEST_CASE("MemoryStore: a missing profile loads as empty, not as an error", "[memory_store]") {
  MemoryStore store;
  auto loaded = store.load("nobody");
  REQUIRE(loaded);
  CHECK_FALSE(loaded->has_value());
}

TEST_CASE("MemoryStore: saving again replaces the profile's one item", "[memory_store]") {
  MemoryStore store;
  REQUIRE(store.save("p", {AuthKind::ApiKey, Secret("old")}));
  SECTION("same kind") {
    REQUIRE(store.save("p", {AuthKind::ApiKey, Secret("new")}));
    CHECK((*store.load("p"))->value.reveal() == "new");
  }
  SECTION("kind change leaves only the new kind") {
    REQUIRE(store.save("p", {AuthKind::OAuth, Secret("{\"refresh_token\":\"r\"}")}));
    auto loaded = store.load("p");
    CHECK((*loaded)->kind == AuthKind::OAuth);
    CHECK((*loaded)->value.reveal() == "{\"refresh_token\":\"r\"}");
  }
}

TEST_CASE("MemoryStore: profiles are independent", "[memory_store]") {
  MemoryStore store;
  REQUIRE(store.save("a", {AuthKind::ApiKey, Secret("ka")}));
  REQUIRE(store.save("b", {AuthKind::Basic, Secret("kb")}));
  REQUIRE(store.erase("a"));
  CHECK_FALSE(store.load("a")->has_value());
  CHECK((*store.load("b"))->value.reveal() == "kb");
}

TEST_CASE("MemoryStore: erase removes the item and succeeds when there is none", "[memory_store]") {
  MemoryStore store;
  REQUIRE(store.save("p", {AuthKind::Basic, Secret("pw")}));
  REQUIRE(store.erase("p"));
  CHECK_FALSE(store.load("p")->has_value());
  CHECK(store.erase("p"));
}

TEST_CASE("MemoryStore: status says secrets are lost on restart", "[memory_store]") {
  MemoryStore store;
  auto status = store.probe();
  CHECK(status.state == wpe::StoreState::Memory);
  CHECK(status.detail.find("lost when wped stops") != std::string::npos);
  CHECK(std::string(wpe::storeStateName(status.state)) == "memory");
}

TEST_CASE("MemoryStore: concurrent saves and loads stay consistent", "[memory_store]") {
  MemoryStore store;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      const std::string profile = "p" + std::to_string(t);
      for (int i = 0; i < 500; ++i) {
        REQUIRE(store.save(profile, {AuthKind::ApiKey, Secret(std::to_string(i))}));
        REQUIRE(store.load(profile)->has_value());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    CHECK((*store.load("p" + std::to_string(t)))->value.reveal() == "499");
  }
}

TEST_CASE("MemoryStore: the binding is kept with the credential", "[memory_store]") {
  MemoryStore store;
  const wpe::CredentialBinding binding{"https://api.example.test", "https://a.test/token", "c1"};
  REQUIRE(store.save("p", {AuthKind::OAuth, Secret("{}"), binding}));
  auto loaded = store.load("p");
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->binding == binding);
}
