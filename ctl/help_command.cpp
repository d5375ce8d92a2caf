// wpectl help [COMMAND] — and `wpectl COMMAND --help`, which cli.cpp routes here: one
// command's usage, summary and options on stdout (exit 0); an unknown command is a usage error.
#include "ctl/cli.h"
#include "ctl/command.h"
#include "ctl/output.h"

namespace wpe::ctl {

const Command* findCommand(const std::string& name) {
  for (const auto& c : allCommands()) {
    if (c.name == name && !c.internal) return &c;
  }
  return nullptr;
}

void printCommandUsage(const Command& command, Output& out) {
  out << "usage: wpectl [--socket PATH] [--profile NAME] [--json] " << command.usage << "\n\n"
      << command.summary << "\n";
  if (!command.flags.empty()) {
    out << "\noptions:";
    for (const auto& flag : command.flags) out << " " << flag;
    out << "\n";
  }
  out << "\nGlobal options: wpectl --help. Details: man wpectl.\n";
}

namespace {

int help(CliContext& ctx, const std::vector<std::string>& words) {
  if (words.empty()) {
    printHelp(ctx.out());
    return kExitOk;
  }
  if (words.size() > 1) return ctx.fail(kExitUsage, "usage: wpectl help [COMMAND]");
  const Command* command = findCommand(words[0]);
  if (command == nullptr) {
    return ctx.fail(kExitUsage, "unknown command \"" + words[0] + "\" (see wpectl --help)");
  }
  printCommandUsage(*command, ctx.out());
  return kExitOk;
}

}  // namespace

void addHelpCommand(CommandList& commands) {
  commands.push_back({"help", "help [COMMAND]", "show a command's usage and options", {}, help});
}

}  // namespace wpe::ctl
