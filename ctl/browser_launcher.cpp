#include "ctl/browser_launcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ctl/split_words.h"

namespace wpe::ctl {
namespace {

const char* const kChildEnv[] = {
    "PATH", "HOME", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS",
    "LANG"};

bool isExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

BrowserLauncher::BrowserLauncher(EnvLookup env, ProgramFinder find)
    : env_(std::move(env)), find_(std::move(find)) {}

std::vector<std::vector<std::string>> BrowserLauncher::parseBrowserVariable(
    const std::string& value) {
  std::vector<std::vector<std::string>> entries;
  for (const auto& entry : splitWords(value, ':')) {
    auto words = splitWords(entry);
    if (!words.empty()) entries.push_back(std::move(words));
  }
  return entries;
}

std::optional<std::string> BrowserLauncher::find(const std::string& program) const {
  if (find_) return find_(program);
  if (program.find('/') != std::string::npos) {
    if (isExecutableFile(program)) return program;
    return std::nullopt;
  }
  auto path = env_("PATH");
  for (const auto& dir : splitWords(path ? *path : "/usr/local/bin:/usr/bin:/bin", ':')) {
    std::string candidate = dir + "/" + program;
    if (isExecutableFile(candidate)) return candidate;
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> BrowserLauncher::commandFor(const std::string& url) const {
  if (!env_("DISPLAY") && !env_("WAYLAND_DISPLAY")) return std::nullopt;
  std::vector<std::vector<std::string>> candidates;
  if (auto browser = env_("BROWSER")) candidates = parseBrowserVariable(*browser);
  if (candidates.empty()) candidates.push_back({"xdg-open"});
  for (auto& words : candidates) {
    auto path = find(words[0]);
    if (!path) continue;
    words[0] = *path;
    bool placed = false;
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (auto at = words[i].find("%s"); at != std::string::npos) {
        words[i].replace(at, 2, url);
        placed = true;
      }
    }
    if (!placed) words.push_back(url);
    return words;
  }
  return std::nullopt;
}

Status BrowserLauncher::launch(const std::vector<std::string>& argv) const {
  if (argv.empty()) return Error(ErrorCode::Internal, "no browser command");
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> envStrings;
  for (const char* name : kChildEnv) {
    if (auto value = env_(name)) envStrings.push_back(std::string(name) + "=" + *value);
  }
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t child = ::fork();
  if (child < 0)
    return Error(ErrorCode::Internal, std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) {
    ::setsid();
    pid_t grandchild = ::fork();
    if (grandchild != 0) ::_exit(0);  // the grandchild is re-parented to init
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      if (devnull > 2) ::close(devnull);
    }
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

}  // namespace wpe::ctl
