// wpectl completion bash|zsh|fish: the shell completion scripts (CompletionScript).
// wpectl __complete KIND [PREFIX]: internal, for those scripts — the profile, site or install
// names starting with PREFIX, one a line (CompletionNames); nothing, exit 0, when wped is
// down or slow, because its output lands under the user's prompt.
#include <string>

#include "ctl/command.h"
#include "ctl/completion_names.h"
#include "ctl/completion_script.h"

namespace wpe::ctl {
namespace {

int completion(CliContext& ctx, const std::vector<std::string>& args) {
  if (args.size() != 1 || (args[0] != "bash" && args[0] != "zsh" && args[0] != "fish")) {
    return ctx.fail(kExitUsage, "usage: wpectl completion bash|zsh|fish");
  }
  CompletionScript script(allCommands());
  ctx.out() << (args[0] == "bash"  ? script.bash()
                : args[0] == "zsh" ? script.zsh()
                                   : script.fish());
  return kExitOk;
}

int complete(CliContext& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2 || !CompletionNames::knownKind(args[0])) {
    return ctx.fail(kExitUsage, "usage: wpectl __complete profiles|sites|installs [PREFIX]");
  }
  CompletionNames names(ctx.options().socketPath, ctx.options().profile, processEnv());
  for (const auto& n : names.names(args[0], args.size() > 1 ? args[1] : "")) {
    ctx.out() << n << "\n";
  }
  return kExitOk;
}

}  // namespace

void addCompletionCommand(CommandList& commands) {
  commands.push_back({"completion",
                      "completion bash|zsh|fish",
                      "print a shell completion script",
                      {},
                      completion});
  commands.push_back({"__complete",
                      "__complete profiles|sites|installs [PREFIX]",
                      "internal: names for the completion scripts",
                      {},
                      complete,
                      true});
}

}  // namespace wpe::ctl
