#pragma once
// SecretPrompt: how wpectl reads a secret (API key, password, client secret) — never from
// argv or the environment. When the input fd is not a terminal, its whole content is the
// secret (one trailing newline stripped). Otherwise it prompts on /dev/tty with echo off;
// the terminal's settings are restored afterwards, also when SIGINT/SIGTERM/SIGHUP arrive
// during the prompt (the signal is then re-raised with its default action).
//
// Failures (BadRequest, exit 2 for the caller): empty secret, no terminal to prompt on,
// unreadable input. Messages name what was being read, never its content.
// Not thread-safe (installs process-wide signal handlers for the duration of a prompt).

#include <string>

#include "common/result.h"
#include "common/secret.h"

namespace wpe::ctl {

class SecretPrompt {
 public:
  explicit SecretPrompt(int inputFd = 0, std::string ttyPath = "/dev/tty");

  // `prompt` is shown on the terminal; `what` names the secret in error messages
  // ("the API key").
  Result<Secret> read(const std::string& prompt, const std::string& what) const;

  // Reads `fd` to its end (at most 64 KiB): the secret minus one trailing "\n" (or "\r\n").
  static Result<Secret> readAll(int fd, const std::string& what);

 private:
  Result<Secret> readFromTerminal(const std::string& prompt, const std::string& what) const;

  int inputFd_;
  std::string ttyPath_;
};

}  // namespace wpe::ctl
