#include "ctl/replace_confirmation.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>

#include "common/auth_kind.h"
#include "common/wire.h"

namespace wpe::ctl {

std::optional<std::string> ReplaceConfirmation::heldKind(CliContext& ctx, int& exitCode) const {
  auto reply = ctx.call("GET", "/v1/status");
  if (!reply) {
    exitCode = ctx.failTransport(reply.error());
    return std::nullopt;
  }
  if (reply->status >= 400) {
    exitCode = ctx.failReply(reply.value());
    return std::nullopt;
  }
  auto status = statusFromJson(reply->body);
  if (!status) {
    exitCode = ctx.fail(kExitError, status.error().message);
    return std::nullopt;
  }
  for (const auto& profile : status->profiles) {
    if (profile.name != ctx.options().profile) continue;
    for (const auto& [key, value] : profile.extra) {
      if (key == "credential") return value;
    }
  }
  return std::string();
}

bool ReplaceConfirmation::ask(const std::string& question) const {
  int fd = ::open(ttyPath_.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
  (void)!::write(fd, question.data(), question.size());
  std::string answer;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') answer += c;
  ::close(fd);
  while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) {
    answer.pop_back();
  }
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

std::optional<int> ReplaceConfirmation::check(CliContext& ctx, const std::string& method,
                                              bool replace) const {
  if (replace) return std::nullopt;
  int exitCode = kExitError;
  auto held = heldKind(ctx, exitCode);
  if (!held) return exitCode;
  if (held->empty() || *held == method) return std::nullopt;
  const std::string& p = ctx.options().profile;
  const std::string holds = "profile " + p + " holds " +
                            (authKindFromName(*held) == AuthKind::Basic ? "a " : "an ") + *held +
                            " credential";
  if (!isatty(STDIN_FILENO)) {
    return ctx.fail(kExitUsage, holds + "; nothing was changed. To replace it with " + method +
                                    ", run the login again with --replace");
  }
  if (!ask(holds + "; replace it with " + method + "? [y/N] ")) {
    return ctx.fail(kExitError,
                    "not replaced; profile " + p + " keeps its " + *held + " credential");
  }
  return std::nullopt;
}

}  // namespace wpe::ctl
