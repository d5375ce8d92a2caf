// SecretServiceStore against a real Secret Service. Each tag expects the environment
// tests/integration/harness/keyring.py builds: [ready] an unlocked gnome-keyring on a private
// bus, [locked] the same keyring locked, [no_service] a bus nobody serves secrets on,
// [no_bus] no DBUS_SESSION_BUS_ADDRESS, [hung] a Secret Service that never answers.

#include "daemon/credentials/secret_service_store.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Logger.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon/credentials/make_credential_store.h"

using namespace std::chrono_literals;
using wpe::AuthKind;
using wpe::ErrorCode;
using wpe::Secret;
using wpe::SecretServiceStore;
using wpe::StoreState;

namespace {

using Steady = std::chrono::steady_clock;

// A bound on how long a call may take, stretched by WPED_TEST_TIMEOUT_SCALE (the sanitizer run
// sets 3: ASan builds beside fuzzers are several times slower; the plain run keeps 1).
std::chrono::milliseconds bound(std::chrono::milliseconds limit) {
  const char* scale = std::getenv("WPED_TEST_TIMEOUT_SCALE");
  const double factor = scale ? std::atof(scale) : 1.0;
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(limit.count() * (factor >= 1.0 ? factor : 1.0)));
}

Poco::Logger& testLogger() {
  Poco::Logger& logger = Poco::Logger::get("keyring_test");
  logger.setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::ConsoleChannel(std::cerr)));
  return logger;
}

std::unique_ptr<SecretServiceStore> startedStore(std::chrono::milliseconds deadline = 5000ms) {
  auto store = std::make_unique<SecretServiceStore>(testLogger(), deadline);
  REQUIRE(store->start());
  return store;
}

std::string uniqueProfile(const std::string& base) {
  return base + "-" + std::to_string(::getpid());
}

// `secret-tool search --all profile NAME` (the profile names here are plain [a-z0-9-]).
std::string searchItems(const std::string& profile) {
  const std::string command =
      "secret-tool search --all profile " + profile + " 2>&1";  // attributes go to stderr
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0)
    out.append(buffer.data(), n);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int itemCount(const std::string& profile) {
  const auto all = lines(searchItems(profile));
  return static_cast<int>(std::count_if(
      all.begin(), all.end(), [](const std::string& l) { return l.rfind("[/", 0) == 0; }));
}

std::vector<std::string> attributeLines(const std::string& profile) {
  std::vector<std::string> out;
  for (const auto& l : lines(searchItems(profile))) {
    if (l.rfind("attribute.", 0) == 0) out.push_back(l);
  }
  return out;
}

double ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

TEST_CASE("SecretServiceStore: a saved credential loads back", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("roundtrip");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("user-1:key-ABC")}));
  auto loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->kind == AuthKind::ApiKey);
  CHECK((*loaded)->value.reveal() == "user-1:key-ABC");
  CHECK(store->probe().state == StoreState::Ready);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: saving again replaces the one item in place", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("replace");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("first")}));
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("second")}));
  CHECK((*store->load(profile))->value.reveal() == "second");
  CHECK(itemCount(profile) == 1);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: a kind change leaves one item of the new kind", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("kindchange");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("old-key")}));
  REQUIRE(store->save(profile, {AuthKind::OAuth, Secret(R"({"refresh_token":"rt-1"})")}));
  auto loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->kind == AuthKind::OAuth);
  CHECK((*loaded)->value.reveal() == R"({"refresh_token":"rt-1"})");
  CHECK(itemCount(profile) == 1);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: erase removes the item and succeeds when there is none", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("erase");
  REQUIRE(store->save(profile, {AuthKind::Basic, Secret("pw")}));
  REQUIRE(store->erase(profile));
  CHECK_FALSE(store->load(profile)->has_value());
  CHECK(itemCount(profile) == 0);
  CHECK(store->erase(profile));
}

TEST_CASE("SecretServiceStore: the secret is never an attribute", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("attrs");
  const std::string secret = "s3cr3t-value-XYZ";
  REQUIRE(store->save(profile, {AuthKind::Basic, Secret(secret), {"https://api.example.test"}}));
  const auto attrs = attributeLines(profile);
  REQUIRE(!attrs.empty());
  for (const auto& line : attrs) {
    INFO(line);
    CHECK(line.find(secret) == std::string::npos);
    const bool known =
        line.rfind("attribute.profile = ", 0) == 0 || line.rfind("attribute.kind = ", 0) == 0 ||
        line.rfind("attribute.origin = ", 0) == 0 || line.rfind("attribute.xdg:schema = ", 0) == 0;
    CHECK(known);
  }
  CHECK(searchItems(profile).find("label = wped: WP Engine credential (profile " + profile + ")") !=
        std::string::npos);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: the binding is kept as attributes and loads back", "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("binding");
  const wpe::CredentialBinding binding{"https://api.example.test:8443",
                                       "https://auth.example.test/o/token/", "client-42"};
  REQUIRE(store->save(profile, {AuthKind::OAuth, Secret(R"({"refresh_token":"rt-1"})"), binding}));
  const auto attrs = attributeLines(profile);
  auto has = [&attrs](const std::string& line) {
    return std::find(attrs.begin(), attrs.end(), line) != attrs.end();
  };
  CHECK(has("attribute.origin = https://api.example.test:8443"));
  CHECK(has("attribute.token_endpoint = https://auth.example.test/o/token/"));
  CHECK(has("attribute.client_id = client-42"));
  auto loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->binding == binding);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: the revocation endpoint is bound too, and none differs from unset",
          "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("revoke");
  wpe::CredentialBinding binding{"https://api.example.test", "https://auth.example.test/o/token/",
                                 "client-42", std::string("https://auth.example.test/o/revoke/")};
  REQUIRE(store->save(profile, {AuthKind::OAuth, Secret(R"({"refresh_token":"rt-1"})"), binding}));
  const auto attrs = attributeLines(profile);
  CHECK(std::find(attrs.begin(), attrs.end(),
                  "attribute.revoke_endpoint = https://auth.example.test/o/revoke/") !=
        attrs.end());
  auto loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->binding == binding);

  // No revoke_url configured: recorded as none, which loads back as "", not as unrecorded.
  binding.revokeEndpoint = std::string();
  REQUIRE(store->save(profile, {AuthKind::OAuth, Secret(R"({"refresh_token":"rt-1"})"), binding}));
  CHECK(itemCount(profile) == 1);
  loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->binding.revokeEndpoint == std::optional<std::string>(""));
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: an item without binding is rewritten with one, still one item",
          "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("migrate");
  // An empty binding stores exactly what wped stored before binding existed.
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("old-key")}));
  for (const auto& line : attributeLines(profile)) {
    INFO(line);
    CHECK((line.rfind("attribute.profile = ", 0) == 0 || line.rfind("attribute.kind = ", 0) == 0 ||
           line.rfind("attribute.xdg:schema = ", 0) == 0));
  }
  auto old = store->load(profile);
  REQUIRE(old);
  REQUIRE(old->has_value());
  CHECK((*old)->binding.empty());

  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("old-key"), {"https://api.example.test"}}));
  CHECK(itemCount(profile) == 1);
  auto bound = store->load(profile);
  REQUIRE(bound);
  REQUIRE(bound->has_value());
  CHECK((*bound)->binding.origin == "https://api.example.test");
  CHECK((*bound)->value.reveal() == "old-key");
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: a login for another host replaces the item bound to the old one",
          "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("rebind");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("key-a"), {"https://a.example.test"}}));
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("key-b"), {"https://b.example.test"}}));
  CHECK(itemCount(profile) == 1);
  auto loaded = store->load(profile);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->binding.origin == "https://b.example.test");
  CHECK((*loaded)->value.reveal() == "key-b");
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: an item of a kind this wped does not know is refused at load",
          "[ready]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("unknownkind");
  // As another program (or a newer wped) might have written it.
  const std::string command =
      "secret-tool store --label 'wped test' xdg:schema com.wpengine.wped.Credential profile " +
      profile + " kind passkey";
  {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "w"), ::pclose);
    REQUIRE(pipe);
    REQUIRE(std::fputs("canary-unknown-kind-secret", pipe.get()) >= 0);
  }
  REQUIRE(itemCount(profile) == 1);
  auto loaded = store->load(profile);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::LoginRequired);
  CHECK_THAT(loaded.error().message, Catch::Contains("unknown kind 'passkey'"));
  CHECK_THAT(loaded.error().message, Catch::Contains("wpectl login --profile " + profile));
  CHECK_THAT(loaded.error().message, !Catch::Contains("canary"));
  // A login replaces it: one item, of the new kind.
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("new-key")}));
  auto replaced = store->load(profile);
  REQUIRE(replaced);
  REQUIRE(replaced->has_value());
  CHECK((*replaced)->kind == AuthKind::ApiKey);
  CHECK((*replaced)->value.reveal() == "new-key");
  CHECK(itemCount(profile) == 1);
  REQUIRE(store->erase(profile));
}

TEST_CASE("SecretServiceStore: a missing profile loads as empty", "[ready]") {
  auto store = startedStore();
  auto loaded = store->load(uniqueProfile("missing"));
  REQUIRE(loaded);
  CHECK_FALSE(loaded->has_value());
}

TEST_CASE("SecretServiceStore: concurrent callers are all served", "[ready]") {
  auto store = startedStore();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const auto profile = uniqueProfile("concurrent" + std::to_string(t));
      for (int i = 0; i < 5; ++i) {
        if (!store->save(profile, {AuthKind::ApiKey, Secret(std::to_string(i))})) ++failures;
        auto loaded = store->load(profile);
        if (!loaded || !loaded->has_value() || (*loaded)->value.reveal() != std::to_string(i))
          ++failures;
      }
      if (!store->erase(profile)) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}

TEST_CASE("SecretServiceStore: store and lookup latency", "[ready][latency]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("latency");
  constexpr int kRounds = 40;
  std::vector<double> saves, loads;
  for (int i = 0; i < kRounds; ++i) {
    auto t0 = Steady::now();
    REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("k" + std::to_string(i))}));
    auto t1 = Steady::now();
    REQUIRE(store->load(profile));
    auto t2 = Steady::now();
    saves.push_back(ms(t1 - t0));
    loads.push_back(ms(t2 - t1));
  }
  REQUIRE(store->erase(profile));
  auto report = [](const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::cout << "latency " << what << ": median " << v[v.size() / 2] << " ms, p90 "
              << v[v.size() * 9 / 10] << " ms, max " << v.back() << " ms (n=" << v.size() << ")\n";
  };
  report("save", saves);
  report("load", loads);
}

TEST_CASE("SecretServiceStore: a locked keyring is reported, not mistaken for empty", "[locked]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("locked");
  SECTION("load") {
    auto t0 = Steady::now();
    auto loaded = store->load(profile);
    CHECK(Steady::now() - t0 < bound(5s));
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code == ErrorCode::KeyringLocked);
    CHECK(loaded.error().message.find("the keyring is locked") != std::string::npos);
  }
  SECTION("save fails fast without a prompt") {
    auto t0 = Steady::now();
    auto saved = store->save(profile, {AuthKind::ApiKey, Secret("k")});
    CHECK(Steady::now() - t0 < bound(5s));
    REQUIRE_FALSE(saved);
    CHECK(saved.error().code == ErrorCode::KeyringLocked);
  }
  SECTION("erase") {
    auto erased = store->erase(profile);
    REQUIRE_FALSE(erased);
    CHECK(erased.error().code == ErrorCode::KeyringLocked);
  }
  SECTION("probe") {
    auto status = store->probe();
    CHECK(status.state == StoreState::Locked);
    CHECK(status.detail.find("unlock it") != std::string::npos);
  }
}

TEST_CASE("SecretServiceStore: no Secret Service on the bus is reported quickly", "[no_service]") {
  auto store = startedStore();
  auto t0 = Steady::now();
  auto status = store->probe();
  CHECK(Steady::now() - t0 < bound(2s));
  CHECK(status.state == StoreState::Unavailable);
  CHECK(status.detail.find("no Secret Service on the session bus") != std::string::npos);
  auto loaded = store->load(uniqueProfile("nosvc"));
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::KeyringUnavailable);
  auto saved = store->save(uniqueProfile("nosvc"), {AuthKind::ApiKey, Secret("k")});
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == ErrorCode::KeyringUnavailable);
  CHECK(Steady::now() - t0 < bound(3s));
}

TEST_CASE("SecretServiceStore: no session bus is reported with what to do", "[no_bus]") {
  auto store = startedStore();
  auto status = store->probe();
  CHECK(status.state == StoreState::Unavailable);
  CHECK(status.detail.find("DBUS_SESSION_BUS_ADDRESS is unset") != std::string::npos);
  CHECK(status.detail.find("credential_store = memory") != std::string::npos);
  auto loaded = store->load("default");
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::KeyringUnavailable);
  CHECK(loaded.error().message == status.detail);
}

TEST_CASE("SecretServiceStore: a Secret Service that never answers costs one deadline", "[hung]") {
  auto store = startedStore(500ms);
  for (int i = 0; i < 2; ++i) {
    auto t0 = Steady::now();
    auto loaded = store->load("default");
    const auto elapsed = Steady::now() - t0;
    INFO("call " << i << " took " << ms(elapsed) << " ms");
    CHECK(elapsed < bound(900ms));
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code == ErrorCode::KeyringUnavailable);
    CHECK(loaded.error().message.find("did not answer within 500 ms") != std::string::npos);
  }
  auto t0 = Steady::now();
  CHECK(store->probe().state == StoreState::Unavailable);
  CHECK(Steady::now() - t0 < bound(900ms));
}

TEST_CASE("makeCredentialStore: builds the store the config asks for", "[no_bus]") {
  Poco::Logger& logger = testLogger();
  auto memory = wpe::makeCredentialStore(wpe::CredentialStoreKind::Memory, logger);
  CHECK(memory->probe().state == StoreState::Memory);
  auto keyring = wpe::makeCredentialStore(wpe::CredentialStoreKind::Keyring, logger);
  CHECK(keyring->probe().state == StoreState::Unavailable);  // started: it answers
}

TEST_CASE("SecretServiceStore: a keyring locked while wped runs is noticed", "[lock_transition]") {
  auto store = startedStore();
  const auto profile = uniqueProfile("transition");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("k")}));
  REQUIRE(store->load(profile)->has_value());
  REQUIRE(store->probe().state == StoreState::Ready);
  const std::string lock =
      "dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets "
      "org.freedesktop.Secret.Service.Lock "
      "array:objpath:/org/freedesktop/secrets/collection/login >/dev/null";
  REQUIRE(std::system(lock.c_str()) == 0);
  auto loaded = store->load(profile);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::KeyringLocked);
  CHECK(store->probe().state == StoreState::Locked);
  auto saved = store->save(profile, {AuthKind::ApiKey, Secret("k2")});
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == ErrorCode::KeyringLocked);
}

TEST_CASE("SecretServiceStore: a Secret Service without a default keyring", "[no_default]") {
  auto store = startedStore();
  auto status = store->probe();
  CHECK(status.state == StoreState::Unavailable);
  CHECK(status.detail.find("no default keyring") != std::string::npos);
  auto saved = store->save(uniqueProfile("nodefault"), {AuthKind::ApiKey, Secret("k")});
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == ErrorCode::KeyringUnavailable);
  CHECK(saved.error().message == status.detail);
  auto loaded = store->load(uniqueProfile("nodefault"));  // nothing can be stored anywhere
  REQUIRE(loaded);
  CHECK_FALSE(loaded->has_value());
}

// WPED_TEST_BUS_PID: the private dbus-daemon, set by test_keyring_store.py for this case only.
TEST_CASE("SecretServiceStore: losing the session bus is an error, not the end of wped",
          "[bus_dies]") {
  const char* busPid = std::getenv("WPED_TEST_BUS_PID");
  REQUIRE(busPid);
  auto store = startedStore(2000ms);
  const auto profile = uniqueProfile("busdies");
  REQUIRE(store->save(profile, {AuthKind::ApiKey, Secret("k")}));
  REQUIRE(::kill(static_cast<pid_t>(std::stol(busPid)), SIGTERM) == 0);
  // GLib's default would raise SIGTERM in this process when the bus connection closes; the
  // store turns that off, so reaching the checks below is the test.
  auto t0 = Steady::now();
  StoreState state = StoreState::Ready;
  while (state == StoreState::Ready && Steady::now() - t0 < 5s) state = store->probe().state;
  CHECK(state == StoreState::Unavailable);
  auto loaded = store->load(profile);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::KeyringUnavailable);
}
