#include "ctl/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wpe::ctl {
namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};

volatile sig_atomic_t gChildPid = 0;

void forward(int signal, siginfo_t* info, void*) {
  // SI_KERNEL: the terminal sent it to the whole foreground process group (Ctrl-C), so the
  // child, in the same group, has it already; sending it again would be a second Ctrl-C.
  if (info != nullptr && info->si_code == SI_KERNEL) return;
  pid_t pid = gChildPid;
  if (pid > 0) kill(pid, signal);
}

void installForwarding() {
  struct sigaction action {};
  action.sa_sigaction = forward;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int s : kForwarded) sigaction(s, &action, nullptr);
}

void blockForwarded(int how) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kForwarded) sigaddset(&set, s);
  sigprocmask(how, &set, nullptr);
}

void closeFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                         const std::vector<std::string>& environment,
                                         bool captureOutput) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : environment) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if (captureOutput && (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)) {
    int saved = errno;
    for (int* fd : {&out[0], &out[1], &err[0], &err[1]}) closeFd(*fd);
    return Error(ErrorCode::Internal, std::string("cannot create a pipe: ") + strerror(saved));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (captureOutput) {
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  }
  // The child starts with default dispositions (wpectl's forwarding handlers and an ignored
  // SIGPIPE must not leak into it) and an empty signal mask.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  for (int s : kForwarded) sigaddset(&defaults, s);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  // Signals held back from installing the handler until the pid is known, so one that
  // arrives in between is forwarded rather than lost or fatal to wpectl alone.
  blockForwarded(SIG_BLOCK);
  installForwarding();
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  closeFd(out[1]);
  closeFd(err[1]);
  if (rc != 0) {
    blockForwarded(SIG_UNBLOCK);
    closeFd(out[0]);
    closeFd(err[0]);
    std::string message = argv[0] + ": " + strerror(rc);
    return Error(rc == ENOENT ? ErrorCode::NotFound : ErrorCode::Internal, message);
  }
  gChildPid = pid;
  blockForwarded(SIG_UNBLOCK);
  return ChildProcess(pid, out[0], err[0]);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), outFd_(other.outFd_), errFd_(other.errFd_) {
  other.pid_ = -1;
  other.outFd_ = other.errFd_ = -1;
}

ChildProcess::~ChildProcess() {
  closeFd(outFd_);
  closeFd(errFd_);
  if (pid_ > 0) wait();
}

int ChildProcess::wait() {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) {
      status = -1;
      break;
    }
  }
  gChildPid = 0;
  pid_ = -1;
  if (status == -1) return 1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace wpe::ctl
