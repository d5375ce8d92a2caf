#include "ctl/cli.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "ctl/exit_codes.h"

using namespace wpe;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args, std::map<std::string, std::string> vars = {
                                           {"WPED_SOCKET", "/nonexistent/wped-test/wped.sock"}}) {
  EnvLookup env = [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  ctl::Output out, err;
  int code = ctl::runCli(args, env, out, err);
  return {code, out.text(), err.text()};
}

}  // namespace

TEST_CASE("wpectl: nothing listening → exit 3, one stderr line with the hint", "[cli]") {
  auto r = run({"status"});
  CHECK(r.code == ctl::kExitUnreachable);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("wpectl: ", 0) == 0);
  CHECK_THAT(r.err, Catch::Contains("systemctl --user start wped.socket"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto json = run({"--json", "status"});
  CHECK(json.code == ctl::kExitUnreachable);
  CHECK(json.out.rfind("{\"error\":", 0) == 0);  // still exactly one JSON document
}

TEST_CASE("wpectl: no XDG_RUNTIME_DIR and no --socket → exit 3 naming it", "[cli]") {
  auto r = run({"status"}, {});
  CHECK(r.code == ctl::kExitUnreachable);
  CHECK_THAT(r.err, Catch::Contains("XDG_RUNTIME_DIR"));
}

TEST_CASE("wpectl: usage errors exit 2", "[cli]") {
  CHECK(run({}).code == ctl::kExitUsage);
  CHECK(run({"nonsense"}).code == ctl::kExitUsage);
  CHECK(run({"status", "extra"}).code == ctl::kExitUsage);
  CHECK(run({"status", "--socket"}).code == ctl::kExitUsage);
  CHECK(run({"--profile", "a/b", "status"}).code == ctl::kExitUsage);
  CHECK(run({"status"}, {{"WPE_PROFILE", ".."}, {"WPED_SOCKET", "/x"}}).code == ctl::kExitUsage);
  CHECK(run({"completion", "tcsh"}).code == ctl::kExitUsage);
}

TEST_CASE("wpectl: --help, --version and completion need no daemon", "[cli]") {
  auto help = run({"--help"});
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("wpectl status") && Catch::Contains("exit codes"));
  CHECK(run({"--version"}).out.rfind("wpectl ", 0) == 0);
  auto bash = run({"completion", "bash"});
  CHECK(bash.code == 0);
  CHECK_THAT(bash.out,
             Catch::Contains("complete -F _wpectl wpectl") && Catch::Contains("shutdown"));
  CHECK_THAT(run({"completion", "zsh"}).out, Catch::Contains("#compdef wpectl"));
  CHECK_THAT(run({"completion", "fish"}).out, Catch::Contains("complete -c wpectl"));
}
