#include "common/log_escape.h"

#include <catch2/catch.hpp>

using wpe::escapeForLog;
using wpe::escapeLogLine;
using wpe::serverTextForLog;

TEST_CASE("escapeForLog: controls, backslash, C1, bidi and invalid UTF-8 are escaped",
          "[log_escape]") {
  CHECK(escapeForLog("a\x1b[31mb\x07\n") == "a\\x1b[31mb\\x07\\x0a");
  CHECK(escapeForLog("back\\slash") == "back\\x5cslash");
  CHECK(escapeForLog("x\xC2\x9B"
                     "2J") == "x\\u009b2J");  // C1 CSI
  CHECK(escapeForLog("txt\xE2\x80\xAE"
                     "exe") == "txt\\u202eexe");      // RIGHT-TO-LEFT OVERRIDE
  CHECK(escapeForLog("a\xFF\xC3") == "a\\xff\\xc3");  // stray and truncated
  CHECK(escapeForLog("Caf\xC3\xA9 \xE6\x97\xA5") == "Caf\xC3\xA9 \xE6\x97\xA5");
  CHECK(escapeForLog(std::string(300, 'a'), 10) == std::string(10, 'a') + "\xE2\x80\xA6");
}

TEST_CASE("escapeLogLine: escapes once, leaving escapeForLog's output as it is", "[log_escape]") {
  const std::string once = escapeForLog("say \x1b[2J\\");
  CHECK(escapeLogLine(once, 4096) == once);
  CHECK(escapeLogLine("line\nforged\x1b", 4096) == "line\\x0aforged\\x1b");
  CHECK(escapeLogLine("\xE2\x81\xA6", 4096) == "\\u2066");
}

TEST_CASE("serverTextForLog: a short escaped prefix with token-shaped runs redacted",
          "[log_escape]") {
  SECTION("at most 80 characters, then an ellipsis") {
    const std::string out = serverTextForLog(std::string(200, 'x'));
    CHECK(out == std::string(80, 'x') + "\xE2\x80\xA6");
    CHECK(serverTextForLog("short text") == "short text");
  }
  SECTION("an echoed token never appears, not even cut at the prefix") {
    const std::string token = "wpecanary-rt-0123456789abcdef0123456789abcdef01234567";
    CHECK(serverTextForLog("refresh token " + token + " is unknown") ==
          "refresh token [redacted] is unknown");
    const std::string late = std::string(70, 'w') + " " + token;
    CHECK(serverTextForLog(late).find("wpecanary") == std::string::npos);
    CHECK(serverTextForLog("code: Ab3dEf6hIj9kLm2nOp5q&x") == "code: [redacted]&x");
  }
  SECTION("words and error codes stay readable") {
    CHECK(serverTextForLog("unsupported_response_type") == "unsupported_response_type");
    CHECK(serverTextForLog("The user denied access.") == "The user denied access.");
  }
  SECTION("escaped once, controls included") {
    CHECK(serverTextForLog("bad \x1b[31m client") == "bad \\x1b[31m client");
  }
}
