#include "common/wire.h"

#include <catch2/catch.hpp>
#include <cstdio>

using namespace wpe;

TEST_CASE("Wire: error documents round-trip", "[wire]") {
  Error e(ErrorCode::RateLimited, "slow down \"now\"\n");
  e.retryAfter = std::chrono::seconds(30);
  auto json = errorToJson(e);
  CHECK(json.rfind("{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down \\\"now\\\"\\n\"",
                   0) == 0);
  auto back = errorFromJson(json, 429);
  CHECK(back.code == ErrorCode::RateLimited);
  CHECK(back.message == "slow down \"now\"\n");
  REQUIRE(back.retryAfter);
  CHECK(back.retryAfter->count() == 30);
}

TEST_CASE("Wire: a non-error body becomes internal naming the status", "[wire]") {
  auto e = errorFromJson("<html>oops</html>", 502);
  CHECK(e.code == ErrorCode::Internal);
  CHECK_THAT(e.message, Catch::Contains("502"));
}

TEST_CASE("Wire: jsonQuote escapes control characters", "[wire]") {
  CHECK(jsonQuote("a\x01"
                  "b\\") == "\"a\\u0001b\\\\\"");
}

TEST_CASE("Wire: jsonQuote escapes exactly \", \\ and the control characters, whatever surrounds them",
          "[wire]") {
  // One character at a time, the plain way: what the run-at-a-time quoting must equal.
  auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    for (const std::string& text : {one, "ab" + one, one + "cd", "ab" + one + one + "cd" + one}) {
      INFO("byte " << c);
      CHECK(jsonQuote(text) == reference(text));
    }
  }
  // Runs are scanned 8 bytes at a time: every byte that matters, at every place in and
  // across those words, in texts of every length up to three words.
  for (int c : {0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x5c, 0x5b, 0x7e, 0x7f, 0x80, 0xa2, 0xdc, 0xff}) {
    for (std::size_t length = 1; length <= 24; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'x');
        text[at] = static_cast<char>(c);
        INFO("byte " << c << " at " << at << " of " << length);
        CHECK(jsonQuote(text) == reference(text));
      }
    }
  }
  std::string mixed;  // several escapes in one word, and words with none between them
  for (int k = 0; k < 40; ++k) mixed += k % 3 == 0 ? '"' : (k % 5 == 0 ? '\x01' : 'y');
  mixed += std::string(17, 'z') + "\\";
  CHECK(jsonQuote(mixed) == reference(mixed));
  CHECK(jsonQuote("") == "\"\"");
  CHECK(jsonQuote("ApiKey abc\xc3\xa9") == "\"ApiKey abc\xc3\xa9\"");
  // appendJsonQuoted (JsonWriter's way) adds the same text after what is there.
  std::string out = "{\"k\":";
  appendJsonQuoted(out, "a\"b\x01");
  CHECK(out == "{\"k\":\"a\\\"b\\u0001\"");
}

TEST_CASE("Wire: status documents round-trip, extra profile facts kept", "[wire]") {
  StatusInfo s;
  s.version = "1.2.3";
  s.pid = 42;
  s.uptimeSeconds = 99;
  s.socket = "/run/user/1/wped/wped.sock";
  s.config = "/home/u/.config/wped/wped.ini";
  s.credentialStore = {"locked", "unlock the login keyring"};
  ProfileStatus p;
  p.name = "default";
  p.auth = "oauth";
  p.state = "ready";
  p.extra = {{"token_expires_at", "2026-11-28T10:00:00Z"}};
  s.profiles.push_back(p);
  auto back = statusFromJson(statusToJson(s));
  REQUIRE(back);
  CHECK(back->version == "1.2.3");
  CHECK(back->pid == 42);
  CHECK(back->uptimeSeconds == 99);
  CHECK(back->credentialStore.state == "locked");
  REQUIRE(back->profiles.size() == 1);
  CHECK(back->profiles[0].state == "ready");
  REQUIRE(back->profiles[0].extra.size() == 1);
  CHECK(back->profiles[0].extra[0].second == "2026-11-28T10:00:00Z");
  CHECK_FALSE(statusFromJson("not json"));
}

TEST_CASE("Wire: profile lists round-trip", "[wire]") {
  ProfileInfo a;
  a.name = "a";
  a.auth = "basic";
  a.user = "u1";
  a.redirectPort = 8080;
  auto back = profileListFromJson(profileListToJson({a}));
  REQUIRE(back);
  REQUIRE(back->size() == 1);
  CHECK(back->at(0).user == "u1");
  CHECK(back->at(0).redirectPort == 8080);
  auto one = profileInfoFromJson(profileInfoToJson(a));
  REQUIRE(one);
  CHECK(one->auth == "basic");
}
