// wpectl exec: runs a command with the profile's credential in its environment, for tools
// that read WPE_API_USER_ID/WPE_API_PASSWORD, WPENGINE_API_TOKEN and the like. The credential
// comes from wped (GET /v1/profiles/{p}/token) and goes only into the child's environment,
// built here explicitly: never into wpectl's own environment, argv or output.
#include <unistd.h>

#include <algorithm>

#include "common/profile_wire.h"
#include "ctl/child_process.h"
#include "ctl/command.h"
#include "ctl/command_args.h"
#include "ctl/credential_variables.h"
#include "ctl/masked_output.h"
#include "ctl/min_valid_option.h"

extern char** environ;

namespace wpe::ctl {
namespace {

// 600 s: long enough for a typical deploy script to finish on one OAuth token; longer jobs
// ask for more with --min-valid (or use the passthrough, which refreshes on its own).
constexpr const char* kDefaultMinValid = "600";

// wpectl's environment minus the names we set, then ours: an inherited stale
// WPENGINE_API_TOKEN must not shadow (or sit beside) the fresh one.
std::vector<std::string> childEnvironment(const std::vector<CredentialVariable>& vars) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    bool ours = std::any_of(vars.begin(), vars.end(),
                            [&name](const CredentialVariable& v) { return v.name == name; });
    if (!ours) env.push_back(std::move(entry));
  }
  for (const auto& v : vars) env.push_back(v.name + "=" + v.value.reveal());
  return env;
}

void wipe(std::vector<std::string>& strings) {
  for (auto& s : strings) std::fill(s.begin(), s.end(), '\0');
  strings.clear();
}

int exec(CliContext& ctx, const std::vector<std::string>& words) {
  auto dashes = std::find(words.begin(), words.end(), "--");
  std::vector<std::string> options(words.begin(), dashes);
  std::vector<std::string> command;
  if (dashes != words.end()) command.assign(dashes + 1, words.end());
  CommandArgs args("exec", {"--mask"}, {"--names", "--min-valid"}, 0);
  if (auto ok = args.parse(options); !ok) return ctx.fail(kExitUsage, ok.error().message);
  if (command.empty()) {
    return ctx.fail(kExitUsage,
                    "exec needs the command to run after --: wpectl exec [OPTIONS] -- COMMAND "
                    "[ARGS...] (see wpectl --help)");
  }
  auto styles =
      CredentialVariables::parseStyles(args.value("--names").value_or("wpe,wp-engine,"
                                                                      "wpengine,token"));
  if (!styles) return ctx.fail(kExitUsage, styles.error().message);
  auto query = minValidQuery(args.value("--min-valid").value_or(kDefaultMinValid));
  if (!query) return ctx.fail(kExitUsage, query.error().message);

  // Not ctx.run(): with the global --json the answer still must not reach stdout.
  auto reply = ctx.call("GET", "/v1/profiles/" + ctx.options().profile + "/token" + *query);
  if (!reply) return ctx.failTransport(reply.error());
  if (reply->status >= 400) return ctx.failReply(reply.value());
  auto token = tokenReplyFromJson(reply->body);
  std::fill(reply->body.begin(), reply->body.end(), '\0');
  if (!token) return ctx.fail(kExitError, token.error().message);
  auto vars =
      CredentialVariables::build(*token, *styles, ctx.options().profile, ctx.options().socketPath);
  if (!vars) return ctx.fail(kExitError, vars.error().message);

  bool mask = args.has("--mask");
  std::vector<Secret> secrets;
  for (const auto& v : *vars) {
    if (v.secret) secrets.push_back(v.value);
  }
  auto environment = childEnvironment(*vars);
  ctx.out().flush();
  ctx.err().flush();
  auto child = ChildProcess::start(command, environment, mask);
  wipe(environment);
  if (!child) {
    bool missing = child.error().code == ErrorCode::NotFound;
    return ctx.fail(missing ? ExitCode(127) : ExitCode(126),
                    child.error().message + (missing ? " (not found in PATH)" : ""));
  }
  if (mask) MaskedOutput(child->outFd(), child->errFd(), std::move(secrets)).run();
  return child->wait();
}

}  // namespace

void addExecCommand(CommandList& commands) {
  commands.push_back(
      {"exec",
       "exec [--names STYLE[,STYLE...]] [--min-valid SECONDS] [--mask] -- COMMAND [ARGS...]",
       "run COMMAND with the profile's credential in its environment",
       {"--names", "--min-valid", "--mask"},
       exec});
}

}  // namespace wpe::ctl
