#include "daemon/profiles/profile_registry.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/unit/profile_stack.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

const std::string kApi = "https://api.example.test/v1";

std::set<std::string> namesOf(const std::vector<std::shared_ptr<Profile>>& profiles) {
  std::set<std::string> names;
  for (const auto& p : profiles) names.insert(p->name());
  return names;
}

}  // namespace

TEST_CASE("ProfileRegistry: apply creates every configured profile and returns it for restore",
          "[profile_registry]") {
  ProfileStack stack;
  ProfileRegistry registry(stack.services, false);
  auto created = registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));

  CHECK(namesOf(created) == std::set<std::string>{"default", "work"});
  CHECK(namesOf(registry.all()) == std::set<std::string>{"default", "work"});
  auto work = registry.find("work");
  REQUIRE(work);
  CHECK(work.value() == (created[0]->name() == "work" ? created[0] : created[1]));
  CHECK(work.value()->config().apiUrl == kApi);
}

TEST_CASE("ProfileRegistry: apply keeps a profile whose settings did not change",
          "[profile_registry]") {
  ProfileStack stack;
  ProfileRegistry registry(stack.services, false);
  (void)registry.apply(ProfileStack::config({{"default", kApi}}));
  auto before = registry.find("default");
  REQUIRE(before);
  REQUIRE(before.value()->restore());  // its state: read from the keyring once

  auto created = registry.apply(ProfileStack::config({{"default", kApi}}));
  CHECK(created.empty());  // nothing to restore again
  auto after = registry.find("default");
  REQUIRE(after);
  CHECK(after.value() == before.value());  // the same object, with its state
}

TEST_CASE("ProfileRegistry: apply rebuilds a profile whose settings changed",
          "[profile_registry]") {
  ProfileStack stack;
  ProfileRegistry registry(stack.services, false);
  (void)registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));
  auto old = registry.find("default");
  REQUIRE(old);

  SECTION("a changed api_url") {
    auto created = registry.apply(
        ProfileStack::config({{"default", "https://other.example.test/v1"}, {"work", kApi}}));
    REQUIRE(namesOf(created) == std::set<std::string>{"default"});
    auto now = registry.find("default");
    REQUIRE(now);
    CHECK(now.value() != old.value());
    CHECK(now.value() == created.front());
    CHECK(now.value()->config().apiUrl == "https://other.example.test/v1");
    // A request that held the old profile goes on with it, settings unchanged.
    CHECK(old.value()->config().apiUrl == kApi);
  }
  SECTION("a changed auth kind") {
    DaemonConfig next = ProfileStack::config({{"default", kApi}, {"work", kApi}});
    next.profiles["default"].auth = AuthKind::Basic;
    next.profiles["default"].user = "u1";
    auto created = registry.apply(next);
    REQUIRE(namesOf(created) == std::set<std::string>{"default"});
    CHECK(registry.find("default").value() != old.value());
  }
}

TEST_CASE("ProfileRegistry: apply drops a removed profile; find names the section to add",
          "[profile_registry]") {
  ProfileStack stack;
  ProfileRegistry registry(stack.services, false);
  (void)registry.apply(ProfileStack::config({{"default", kApi}, {"work", kApi}}));

  auto created =
      registry.apply(ProfileStack::config({{"default", kApi}}, "/etc/elsewhere/wped.ini"));
  CHECK(created.empty());
  CHECK(namesOf(registry.all()) == std::set<std::string>{"default"});
  auto gone = registry.find("work");
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == ErrorCode::NotFound);
  // The file named is the one the last apply() read.
  CHECK(gone.error().message.find("[profile.work] section to /etc/elsewhere/wped.ini") !=
        std::string::npos);
}
