#pragma once
// Command: one wpectl subcommand. Each command group lives in its own file and adds its
// commands with an add…Commands(CommandList&) function, which cli.cpp calls in order:
//   daemon_commands.cpp   status, profiles, reload, shutdown
//   completion_command.cpp completion bash|zsh
// (later: login_commands.cpp, token_commands.cpp, site_commands.cpp, api_command.cpp).
// `run` receives the words after the command name with the global options removed.

#include <functional>
#include <string>
#include <vector>

#include "ctl/cli_context.h"

namespace wpe::ctl {

struct Command {
  std::string name;
  std::string usage;    // e.g. "status [--json]"
  std::string summary;  // one line for --help
  std::vector<std::string> flags;  // command-specific flags, for completion
  std::function<int(CliContext&, const std::vector<std::string>& args)> run;
};

using CommandList = std::vector<Command>;

void addDaemonCommands(CommandList& commands);
void addCompletionCommand(CommandList& commands);

// Every command, in --help order.
const CommandList& allCommands();

}  // namespace wpe::ctl
