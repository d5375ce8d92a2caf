#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "ctl/shell_quote.h"
#include "temp_dir.h"

using namespace wpe::ctl;

TEST_CASE("shellQuote: single quotes, each ' written as '\\''", "[shell_quote]") {
  CHECK(shellQuote("abc") == "'abc'");
  CHECK(shellQuote("") == "''");
  CHECK(shellQuote("it's") == "'it'\\''s'");
  CHECK(shellQuote("$HOME `x` \\n") == "'$HOME `x` \\n'");
}

TEST_CASE("shellQuote: sh's eval gives back exactly the bytes", "[shell_quote]") {
  const std::string value = "p'w$HOME\"`id`\\ \n'' !*?;&|<>";
  wpe::testing::TempDir dir;
  std::string lines = dir.path() + "/lines", out = dir.path() + "/out";
  // What `wpectl token --format env` prints, read back the way the user's shell does.
  std::ofstream(lines) << "export V=" << shellQuote(value) << "\n";
  std::string command = "sh -c 'eval \"$(cat \"$0\")\"; printf %s \"$V\" > \"$1\"' " +
                        shellQuote(lines) + " " + shellQuote(out);
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(out);
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(back == value);
}
