#pragma once
// Command: one wpectl subcommand. Each command group lives in its own file and adds its
// commands with an add…Commands(CommandList&) function, which cli.cpp calls in order:
//   daemon_commands.cpp   status, profiles, reload, shutdown
//   completion_command.cpp completion bash|zsh|fish, and the internal __complete
//   login_commands.cpp     login, logout
//   token_commands.cpp     token
//   exec_command.cpp       exec
//   site_commands.cpp      sites, installs, accounts, site
//   api_command.cpp        api
//   audit_command.cpp      audit
//   help_command.cpp       help (and COMMAND --help)
// `run` receives the words after the command name with the global options removed.

#include <functional>
#include <string>
#include <vector>

#include "ctl/cli_context.h"
#include "ctl/output.h"

namespace wpe::ctl {

struct Command {
  std::string name;
  std::string usage;               // e.g. "status [--json]"
  std::string summary;             // one line for --help
  std::vector<std::string> flags;  // command-specific flags, for completion
  std::function<int(CliContext&, const std::vector<std::string>& args)> run;
  // Internal (`__complete`, for the completion scripts): left out of --help and of the
  // completions; a bad --profile or an unresolvable socket is not reported (the command
  // decides what to do with an empty socketPath) because it runs under the user's prompt.
  bool internal = false;
};

using CommandList = std::vector<Command>;

void addDaemonCommands(CommandList& commands);
void addLoginCommands(CommandList& commands);
void addTokenCommands(CommandList& commands);
void addExecCommand(CommandList& commands);
void addSiteCommands(CommandList& commands);
void addApiCommand(CommandList& commands);
void addAuditCommand(CommandList& commands);
void addCompletionCommand(CommandList& commands);
void addHelpCommand(CommandList& commands);

// A command by name (internal ones excluded), or nullptr.
const Command* findCommand(const std::string& name);
// `wpectl help COMMAND`: its usage, summary and options.
void printCommandUsage(const Command& command, Output& out);

// Every command, in --help order (internal ones included; check Command::internal).
const CommandList& allCommands();

}  // namespace wpe::ctl
