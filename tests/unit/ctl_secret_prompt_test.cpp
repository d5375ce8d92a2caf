#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>

#include "ctl/browser_launcher.h"
#include "ctl/secret_prompt.h"

using wpe::ctl::BrowserLauncher;
using wpe::ctl::SecretPrompt;

namespace {

// A pipe holding `text`, its write end closed: what `echo KEY | wpectl login` gives.
int pipeWith(const std::string& text) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  return fds[0];
}

wpe::Result<wpe::Secret> readPiped(const std::string& text) {
  int fd = pipeWith(text);
  auto secret = SecretPrompt(fd, "/nonexistent-tty").read("prompt: ", "the API key");
  ::close(fd);
  return secret;
}

wpe::EnvLookup envOf(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

BrowserLauncher::ProgramFinder onlyThese(std::vector<std::string> installed) {
  return [installed](const std::string& program) -> std::optional<std::string> {
    for (const auto& p : installed) {
      if (p == program)
        return program.find('/') == std::string::npos ? "/usr/bin/" + program : program;
    }
    return std::nullopt;
  };
}

}  // namespace

TEST_CASE("SecretPrompt: a piped secret loses exactly one trailing newline", "[ctl][secret]") {
  CHECK(readPiped("key-123\n").value().reveal() == "key-123");
  CHECK(readPiped("key-123").value().reveal() == "key-123");
  CHECK(readPiped("key-123\r\n").value().reveal() == "key-123");
  CHECK(readPiped("key 123\n\n").value().reveal() == "key 123\n");
}

TEST_CASE("SecretPrompt: an empty piped secret is refused with a clear message", "[ctl][secret]") {
  for (const char* text : {"", "\n"}) {
    auto secret = readPiped(text);
    REQUIRE_FALSE(secret);
    CHECK(secret.error().code == wpe::ErrorCode::BadRequest);
    CHECK_THAT(secret.error().message, Catch::Contains("the API key is empty"));
  }
}

TEST_CASE("SecretPrompt: a large piped secret is read whole", "[ctl][secret]") {
  std::string big(10000, 'k');
  CHECK(readPiped(big + "\n").value().reveal() == big);
}

TEST_CASE("BrowserLauncher: BROWSER is a colon list of space-split commands", "[ctl][browser]") {
  auto entries = BrowserLauncher::parseBrowserVariable("firefox --new-window:chromium::  w3m  %s ");
  REQUIRE(entries.size() == 3);
  CHECK(entries[0] == std::vector<std::string>{"firefox", "--new-window"});
  CHECK(entries[1] == std::vector<std::string>{"chromium"});
  CHECK(entries[2] == std::vector<std::string>{"w3m", "%s"});
  CHECK(BrowserLauncher::parseBrowserVariable("").empty());
}

TEST_CASE(
    "BrowserLauncher: the first BROWSER entry that exists is used, with the URL appended or in %s",
    "[ctl][browser]") {
  std::string url = "https://auth.example/authorize?a=1&b=2";
  BrowserLauncher launcher(
      envOf({{"DISPLAY", ":0"}, {"BROWSER", "nope --x:firefox --new-window:w3m"}}),
      onlyThese({"firefox", "w3m", "xdg-open"}));
  auto command = launcher.commandFor(url);
  REQUIRE(command);
  CHECK(*command == std::vector<std::string>{"/usr/bin/firefox", "--new-window", url});

  BrowserLauncher placeholder(
      envOf({{"WAYLAND_DISPLAY", "wayland-0"}, {"BROWSER", "w3m --url=%s"}}), onlyThese({"w3m"}));
  CHECK(*placeholder.commandFor(url) == std::vector<std::string>{"/usr/bin/w3m", "--url=" + url});
}

TEST_CASE(
    "BrowserLauncher: without BROWSER xdg-open is used; no display or nothing installed means no "
    "browser",
    "[ctl][browser]") {
  std::string url = "https://x/";
  BrowserLauncher plain(envOf({{"DISPLAY", ":0"}}), onlyThese({"xdg-open"}));
  CHECK(*plain.commandFor(url) == std::vector<std::string>{"/usr/bin/xdg-open", url});
  BrowserLauncher headless(envOf({{"BROWSER", "firefox"}}), onlyThese({"firefox", "xdg-open"}));
  CHECK_FALSE(headless.commandFor(url));
  BrowserLauncher missing(envOf({{"DISPLAY", ":0"}}), onlyThese({}));
  CHECK_FALSE(missing.commandFor(url));
  BrowserLauncher noneFound(envOf({{"DISPLAY", ":0"}, {"BROWSER", "nope"}}), onlyThese({}));
  CHECK_FALSE(noneFound.commandFor(url));
}

TEST_CASE("BrowserLauncher: the default program search looks on PATH", "[ctl][browser]") {
  BrowserLauncher launcher(
      envOf({{"DISPLAY", ":0"}, {"PATH", "/nonexistent:/bin:/usr/bin"}, {"BROWSER", "sh"}}));
  auto command = launcher.commandFor("u");
  REQUIRE(command);
  CHECK(command->front().find("/sh") != std::string::npos);
  CHECK(command->back() == "u");
}
