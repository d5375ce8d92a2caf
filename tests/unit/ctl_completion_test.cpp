#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "ctl/cli.h"
#include "ctl/command.h"
#include "ctl/completion_names.h"
#include "ctl/completion_script.h"
#include "temp_dir.h"

using namespace wpe;

namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("Completion: every listed option is in the usage and accepted by the command",
          "[completion]") {
  // The completion scripts and the man page's drift test read the command table; an option
  // listed there but refused by the command's parser would be offered and then fail.
  for (const auto& c : ctl::allCommands()) {
    for (const auto& flag : c.flags) {
      INFO(c.name << " " << flag);
      CHECK_THAT(c.usage, Catch::Contains(flag));
      std::vector<std::string> args{c.name, flag};
      if (ctl::CompletionScript::takesValue(c, flag)) args.push_back("GET");
      ctl::Output out, err;
      ctl::runCli(args, envOf({{"WPED_SOCKET", "/nonexistent/wped-test/wped.sock"}}), out, err);
      CHECK_THAT(err.text(), !Catch::Contains("unknown option"));
    }
  }
}

TEST_CASE("Completion: value options come from the usage's placeholders", "[completion]") {
  const ctl::Command* token = nullptr;
  for (const auto& c : ctl::allCommands())
    if (c.name == "token") token = &c;
  REQUIRE(token != nullptr);
  CHECK(ctl::CompletionScript::takesValue(*token, "--min-valid"));
  CHECK_FALSE(ctl::CompletionScript::takesValue(*token, "--header"));
}

TEST_CASE("Completion: the scripts leave out internal commands", "[completion]") {
  ctl::CompletionScript script(ctl::allCommands());
  for (const auto& text : {script.bash(), script.zsh(), script.fish()}) {
    CHECK_THAT(text, Catch::Contains("shutdown") && Catch::Contains("min-valid"));
    CHECK_THAT(text,
               !Catch::Contains("__complete profiles") && !Catch::Contains("internal: names"));
  }
}

TEST_CASE("CompletionNames: wped down → profiles from the config file, nothing else",
          "[completion]") {
  testing::TempDir dir;
  std::ofstream(dir / "wped.ini") << "[daemon]\nsync_interval = 600\n[profile.agency]\n"
                                     "auth = oauth\n  [profile.ci] \n[profile.bad/name]\n";
  auto env = envOf({{"WPED_CONFIG", dir / "wped.ini"}});
  ctl::CompletionNames names(dir / "no.sock", "default", env);
  CHECK(names.names("profiles", "") == std::vector<std::string>{"agency", "ci", "default"});
  CHECK(names.names("profiles", "a") == std::vector<std::string>{"agency"});
  CHECK(names.names("sites", "").empty());
  CHECK(names.names("installs", "").empty());
  CHECK(names.names("nonsense", "").empty());
}

TEST_CASE("wpectl __complete: quiet, exit 0, when wped is down or unplaceable", "[completion]") {
  for (const auto& vars : std::vector<std::map<std::string, std::string>>{
           {{"WPED_SOCKET", "/nonexistent/wped-test/wped.sock"}}, {}}) {
    ctl::Output out, err;
    int code = ctl::runCli({"--profile", "x/y", "__complete", "sites", "T"}, envOf(vars), out, err);
    CHECK(code == 0);
    CHECK(out.text().empty());
    CHECK(err.text().empty());
  }
  ctl::Output out, err;
  CHECK(ctl::runCli({"--help"}, envOf({}), out, err) == 0);
  CHECK_THAT(out.text(), !Catch::Contains("__complete"));
}
