#include "daemon/auth/login_required_hook.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/unit/auth_test_support.h"

using namespace std::chrono_literals;

namespace {
// Polls for a condition (the hook runs in another process) up to `limit`.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("LoginRequiredHook: runs argv with the profile appended and a minimal environment",
          "[login_required_hook]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("wped-hook-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto out = dir / "out";
  setenv("WPED_TEST_SECRET_ENV", "canary-env", 1);
  Poco::AutoPtr<wpe::testing::RecordingChannel> channel;
  auto& logger = wpe::testing::recordingLogger(channel);
  wpe::LoginRequiredHook hook(
      {"/bin/sh", "-c", "{ printf '%s|' \"$@\"; echo; env; } > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"",
       out.string(), "first arg"},
      logger);
  hook.run("work");
  REQUIRE(eventually([&] { return std::filesystem::exists(out); }));
  const std::string text = readFile(out);
  REQUIRE(text.rfind("first arg|work|\n", 0) == 0);
  REQUIRE(text.find("PATH=/usr/bin:/bin") != std::string::npos);
  REQUIRE(text.find("canary-env") == std::string::npos);
  REQUIRE(eventually([&] { return hook.running() == 0; }));
  unsetenv("WPED_TEST_SECRET_ENV");
  std::filesystem::remove_all(dir);
}

TEST_CASE("LoginRequiredHook: a hung hook is killed and never blocks the caller",
          "[login_required_hook]") {
  Poco::AutoPtr<wpe::testing::RecordingChannel> channel;
  auto& logger = wpe::testing::recordingLogger(channel);
  wpe::LoginRequiredHook hook({"/bin/sh", "-c", "exec sleep 60", "sh"}, logger, 200ms);
  const auto before = std::chrono::steady_clock::now();
  hook.run("work");
  REQUIRE(std::chrono::steady_clock::now() - before < 2s);
  REQUIRE(hook.running() == 1);
  REQUIRE(eventually([&] { return hook.running() == 0; }));
  REQUIRE(channel->all().find("killed") != std::string::npos);
}

TEST_CASE("LoginRequiredHook: a missing program is logged, not fatal", "[login_required_hook]") {
  Poco::AutoPtr<wpe::testing::RecordingChannel> channel;
  auto& logger = wpe::testing::recordingLogger(channel);
  wpe::LoginRequiredHook hook({"/nonexistent/wped-hook"}, logger);
  hook.run("work");
  REQUIRE(eventually([&] { return hook.running() == 0; }));
  wpe::LoginRequiredHook none({}, logger);
  none.run("work");
  REQUIRE(none.running() == 0);
}
