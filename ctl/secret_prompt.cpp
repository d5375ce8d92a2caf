#include "ctl/secret_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace wpe::ctl {
namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;

// What the signal handler needs to put the terminal back. A signal handler can only reach
// file-scope state; it is set only while a prompt is active.
volatile sig_atomic_t gRestoreFd = -1;
termios gSavedTermios{};

void restoreAndReraise(int signo) {
  if (gRestoreFd >= 0) {
    ::tcsetattr(gRestoreFd, TCSAFLUSH, &gSavedTermios);
    ssize_t ignored = ::write(gRestoreFd, "\n", 1);
    (void)ignored;
  }
  std::signal(signo, SIG_DFL);
  std::raise(signo);
}

void wipe(std::string& s) {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

Result<Secret> finish(std::string& text, const std::string& what) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) {
    return Error(ErrorCode::BadRequest, what + " is empty; nothing was sent to wped");
  }
  Secret secret(text);
  wipe(text);
  return secret;
}

}  // namespace

SecretPrompt::SecretPrompt(int inputFd, std::string ttyPath)
    : inputFd_(inputFd), ttyPath_(std::move(ttyPath)) {}

Result<Secret> SecretPrompt::read(const std::string& prompt, const std::string& what) const {
  if (::isatty(inputFd_)) return readFromTerminal(prompt, what);
  return readAll(inputFd_, what);
}

Result<Secret> SecretPrompt::readAll(int fd, const std::string& what) {
  std::string text;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      wipe(text);
      return Error(ErrorCode::BadRequest,
                   "cannot read " + what + " from standard input: " + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    std::memset(chunk, 0, sizeof chunk);
    if (text.size() > kMaxSecretBytes) {
      wipe(text);
      return Error(ErrorCode::BadRequest, what + " on standard input is longer than 64 KiB");
    }
  }
  return finish(text, what);
}

Result<Secret> SecretPrompt::readFromTerminal(const std::string& prompt,
                                              const std::string& what) const {
  int fd = ::open(ttyPath_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::BadRequest, "no terminal to ask for " + what + " (" +
                                            std::strerror(errno) +
                                            "); pipe it on standard input instead");
  }
  termios saved{};
  if (::tcgetattr(fd, &saved) != 0) {
    ::close(fd);
    return Error(ErrorCode::BadRequest, "cannot set up the terminal to ask for " + what);
  }
  gSavedTermios = saved;
  gRestoreFd = fd;
  struct sigaction action {
  }, oldInt{}, oldTerm{}, oldHup{};
  action.sa_handler = restoreAndReraise;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &oldInt);
  ::sigaction(SIGTERM, &action, &oldTerm);
  ::sigaction(SIGHUP, &action, &oldHup);

  termios quiet = saved;
  quiet.c_lflag &= static_cast<tcflag_t>(~(ECHO | ECHOE | ECHOK));
  quiet.c_lflag |= ECHONL;
  ::tcsetattr(fd, TCSAFLUSH, &quiet);
  ssize_t ignored = ::write(fd, prompt.data(), prompt.size());
  (void)ignored;

  std::string text;
  bool failed = false;
  char c;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0 || c == '\n') break;
    text.push_back(c);
    if (text.size() > kMaxSecretBytes) failed = true;
    if (failed) break;
  }
  c = 0;
  ::tcsetattr(fd, TCSAFLUSH, &saved);
  gRestoreFd = -1;
  ::sigaction(SIGINT, &oldInt, nullptr);
  ::sigaction(SIGTERM, &oldTerm, nullptr);
  ::sigaction(SIGHUP, &oldHup, nullptr);
  ::close(fd);
  if (failed) {
    wipe(text);
    return Error(ErrorCode::BadRequest, "cannot read " + what + " from the terminal");
  }
  return finish(text, what);
}

}  // namespace wpe::ctl
