#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "ctl/profile_choice.h"
#include "tests/unit/temp_dir.h"

using namespace wpe;
using namespace wpe::ctl;

namespace {

EnvLookup envOf(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("ProfileChoice: .wpe-profile text", "[ctl][profile_choice]") {
  CHECK(ProfileChoice::parseFile("acme", "/f").value() == "acme");
  CHECK(ProfileChoice::parseFile("# client\n\n  acme \r\n# end\n", "/f").value() == "acme");
  for (const char* bad : {"acme corp", "a\nb", "", "# only\n", "../x"}) {
    auto r = ProfileChoice::parseFile(bad, "/some/.wpe-profile");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BadRequest);
    CHECK_THAT(r.error().message, Catch::Contains("/some/.wpe-profile"));
  }
}

TEST_CASE("ProfileChoice: flag, then WPE_PROFILE, then the nearest file, then default",
          "[ctl][profile_choice]") {
  wpe::testing::TempDir root;
  std::filesystem::create_directories(root / "acme/deep/er");
  write(root / "acme/.wpe-profile", "acme\n");
  const std::filesystem::path deep = root / "acme/deep/er";

  auto fromFile = ProfileChoice::resolve(std::nullopt, envOf({}), deep);
  REQUIRE(fromFile);
  CHECK(fromFile->name == "acme");
  CHECK(fromFile->source == root / "acme/.wpe-profile");
  CHECK(fromFile->describeSource() == "from " + root / "acme/.wpe-profile");

  auto fromEnv = ProfileChoice::resolve(std::nullopt, envOf({{"WPE_PROFILE", "b"}}), deep);
  CHECK((fromEnv->name == "b" && fromEnv->source == "WPE_PROFILE"));
  auto fromFlag = ProfileChoice::resolve("c", envOf({{"WPE_PROFILE", "b"}}), deep);
  CHECK((fromFlag->name == "c" && fromFlag->source == "--profile"));
  CHECK_FALSE(ProfileChoice::resolve("c d", envOf({}), deep));
  CHECK_FALSE(ProfileChoice::resolve(std::nullopt, envOf({{"WPE_PROFILE", ".."}}), deep));

  // A nearer file wins; an invalid one is an error, not a fall back to the parent's.
  write(root / "acme/deep/.wpe-profile", "inner");
  CHECK(ProfileChoice::resolve(std::nullopt, envOf({}), deep)->name == "inner");
  write(root / "acme/deep/.wpe-profile", "not valid");
  CHECK_FALSE(ProfileChoice::resolve(std::nullopt, envOf({}), deep));

  auto none = ProfileChoice::resolve(std::nullopt, envOf({}), root.path());
  CHECK((none->name == "default" && none->source == "default"));
}
