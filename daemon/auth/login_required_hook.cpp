#include "daemon/auth/login_required_hook.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/log_escape.h"

namespace wpe {

namespace {

std::vector<std::string> minimalEnvironment() {
  std::vector<std::string> env{"PATH=/usr/bin:/bin"};
  for (const char* name :
       {"HOME", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"}) {
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  }
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Waits for the child up to `limit`; true when it exited (and was reaped).
bool waitWithLimit(pid_t pid, std::chrono::milliseconds limit, int& status) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    int r;
    do {
      r = poll(&p, 1, static_cast<int>(limit.count()));
    } while (r < 0 && errno == EINTR);
    close(pidfd);
    if (r > 0) return waitpid(pid, &status, 0) == pid || errno == ECHILD;
    return false;
  }
  // Kernels before 5.3: poll waitpid.
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

LoginRequiredHook::LoginRequiredHook(std::vector<std::string> argv, Poco::Logger& logger,
                                     std::chrono::milliseconds killAfter)
    : argv_(std::move(argv)),
      logger_(logger),
      killAfter_(killAfter),
      state_(std::make_shared<Shared>()) {}

void LoginRequiredHook::run(const std::string& profile) {
  if (argv_.empty()) return;
  std::vector<std::string> args = argv_;
  args.push_back(profile);
  std::vector<std::string> env = minimalEnvironment();
  std::vector<char*> argvp = pointers(args);
  std::vector<char*> envp = pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // The daemon's sockets (local API, listeners, keep-alive upstream connections) are not all
  // close-on-exec: the hook gets stdin, stdout and stderr only.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);  // the daemon ignores SIGPIPE; the child should not
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);

  pid_t pid = 0;
  const bool hasSlash = args[0].find('/') != std::string::npos;
  const int rc =
      hasSlash ? posix_spawn(&pid, args[0].c_str(), &actions, &attr, argvp.data(), envp.data())
               : posix_spawnp(&pid, args[0].c_str(), &actions, &attr, argvp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  const std::string program = escapeForLog(args[0], 120);
  if (rc != 0) {
    logger_.error("profile " + profile + ": login_required hook " + program +
                  " could not start: " + std::strerror(rc));
    return;
  }
  logger_.information("profile " + profile + ": login required; started hook " + program +
                      " (pid " + std::to_string(pid) + ")");
  ++state_->running;
  auto shared = state_;
  Poco::Logger& logger = logger_;
  const auto limit = killAfter_;
  std::thread([shared, &logger, limit, pid, program] {
    int status = 0;
    if (!waitWithLimit(pid, limit, status)) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      logger.warning("login_required hook " + program + " killed after " +
                     std::to_string(limit.count()) + " ms");
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      logger.warning("login_required hook " + program + " exited with status " +
                     std::to_string(WEXITSTATUS(status)));
    }
    --shared->running;
  }).detach();
}

}  // namespace wpe
