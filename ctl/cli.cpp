#include "ctl/cli.h"

#include <filesystem>
#include <optional>

#include "common/profile_name.h"
#include "ctl/command.h"
#include "ctl/profile_choice.h"
#include "version.h"

namespace wpe::ctl {

const CommandList& allCommands() {
  static const CommandList commands = [] {
    CommandList list;
    addDaemonCommands(list);
    addLoginCommands(list);
    addTokenCommands(list);
    addExecCommand(list);
    addSiteCommands(list);
    addApiCommand(list);
    addAuditCommand(list);
    addCompletionCommand(list);
    addHelpCommand(list);
    return list;
  }();
  return commands;
}

void printHelp(Output& out) {
  out << "usage: wpectl [--socket PATH] [--profile NAME] [--json] COMMAND [ARGS]\n\n"
         "Talks to wped, the WP Engine API agent, over its Unix socket.\n\ncommands:\n";
  for (const auto& c : allCommands()) {
    if (c.internal) continue;
    // Usage and summary side by side while they fit in 100 columns; a long usage gets the
    // summary on the next line instead of a ragged table.
    std::string usage = "wpectl " + c.usage;
    if (usage.size() < 36) {
      out << "  " << usage << std::string(36 - usage.size(), ' ') << c.summary << "\n";
    } else {
      out << "  " << usage << "\n" << std::string(38, ' ') << c.summary << "\n";
    }
  }
  out << "\nglobal options:\n"
         "  --socket PATH   wped's socket (default $XDG_RUNTIME_DIR/wped/wped.sock; env "
         "WPED_SOCKET)\n"
         "  --profile NAME  the profile to use (else env WPE_PROFILE, else the nearest "
         ".wpe-profile, else default)\n"
         "  --json          print the daemon's answer as one JSON document\n"
         "  --version, --help\n\n"
         "exit codes: 0 ok, 1 error, 2 usage, 3 wped not reachable, 4 login required\n";
}

namespace {

// "--name VALUE" or "--name=VALUE" at args[i]; advances i past the value.
std::optional<std::string> valueOption(const std::vector<std::string>& args, std::size_t& i,
                                       const std::string& name, bool& missing) {
  const std::string& word = args[i];
  if (word == name) {
    if (i + 1 >= args.size()) {
      missing = true;
      return std::nullopt;
    }
    return args[++i];
  }
  if (word.rfind(name + "=", 0) == 0) return word.substr(name.size() + 1);
  return std::nullopt;
}

}  // namespace

int runCli(const std::vector<std::string>& args, const EnvLookup& env, Output& out,
           Output& err) {
  auto usage = [&err](const std::string& message) {
    err << "wpectl: " << message << " (see wpectl --help)\n";
    return static_cast<int>(kExitUsage);
  };
  std::optional<std::string> socketOption, profileOption, commandName;
  bool json = false, help = false, version = false;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool missing = false;
    if (args[i] == "--") {
      // The end of wpectl's options: the rest is another program's (`exec -- CMD --help`),
      // passed to the command with the "--" so it can tell them apart.
      rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (auto v = valueOption(args, i, "--socket", missing)) {
      socketOption = v;
    } else if (auto p = valueOption(args, i, "--profile", missing)) {
      profileOption = p;
    } else if (missing) {
      return usage(args[i] + " needs a value");
    } else if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--help" || args[i] == "-h") {
      help = true;
    } else if (args[i] == "--version") {
      version = true;
    } else if (!commandName && args[i].rfind("-", 0) != 0) {
      commandName = args[i];
    } else {
      rest.push_back(args[i]);
    }
  }
  if (version) {
    out << "wpectl " << kVersion << "\n";
    return kExitOk;
  }
  if (help && commandName) {  // wpectl COMMAND --help
    const Command* named = findCommand(*commandName);
    if (named == nullptr) return usage("unknown command \"" + *commandName + "\"");
    printCommandUsage(*named, out);
    return kExitOk;
  }
  if (help || !commandName) {
    printHelp(help ? out : err);
    return help ? kExitOk : kExitUsage;
  }
  const Command* command = nullptr;
  for (const auto& c : allCommands()) {
    if (c.name == *commandName) command = &c;
  }
  if (command == nullptr) return usage("unknown command \"" + *commandName + "\"");

  GlobalOptions options;
  options.json = json;
  std::error_code cwdError;
  auto choice = ProfileChoice::resolve(profileOption, env, std::filesystem::current_path(cwdError));
  if (choice) {
    options.profile = choice->name;
    options.profileSource = choice->source;
  } else if (command->internal) {
    return kExitOk;                            // a half-typed --profile under the prompt
  } else if (command->name != "completion") {  // the scripts need no profile
    return usage(choice.error().message);
  }
  if (command->name != "completion" && command->name != "help") {
    auto socket = resolveSocketPath(socketOption, env);
    if (!socket && command->internal) {
      options.socketPath.clear();
    } else if (!socket) {
      err << "wpectl: " << socket.error().message << "\n";
      return kExitUnreachable;
    } else {
      options.socketPath = socket.value();
    }
  }
  CliContext context(options, out, err);
  return command->run(context, rest);
}

}  // namespace wpe::ctl
