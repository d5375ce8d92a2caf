#pragma once
// ReplaceConfirmation: `wpectl login` on a profile that holds ANOTHER kind of credential
// (e.g. an OAuth grant, now logging in with --basic) replaces it only when the user says so:
// a "[y/N]" question on the terminal, or --replace when stdin is not a terminal. A login of
// the same kind replaces without asking, as before. Asked before any secret is read, so a
// refusal changes nothing and consumes nothing.

#include <optional>
#include <string>

#include "ctl/cli_context.h"

namespace wpe::ctl {

class ReplaceConfirmation {
 public:
  explicit ReplaceConfirmation(std::string ttyPath = "/dev/tty") : ttyPath_(std::move(ttyPath)) {}

  // nullopt: go ahead. Otherwise the exit code, the reason already printed: 2 when stdin is
  // not a terminal and --replace was not given, 1 when the user declined.
  std::optional<int> check(CliContext& ctx, const std::string& method, bool replace) const;

 private:
  // The kind of credential the profile holds ("" for none), from GET /v1/status.
  std::optional<std::string> heldKind(CliContext& ctx, int& exitCode) const;
  bool ask(const std::string& question) const;

  std::string ttyPath_;
};

}  // namespace wpe::ctl
