// wpectl completion bash|zsh: shell completion generated from the command list.
#include <string>

#include "ctl/command.h"

namespace wpe::ctl {
namespace {

const char* kGlobalFlags = "--socket --profile --json --help --version";

int completion(CliContext& ctx, const std::vector<std::string>& args) {
  if (args.size() != 1 || (args[0] != "bash" && args[0] != "zsh")) {
    return ctx.fail(kExitUsage, "usage: wpectl completion bash|zsh");
  }
  std::string names;
  for (const auto& c : allCommands()) names += (names.empty() ? "" : " ") + c.name;
  auto& out = ctx.out();
  if (args[0] == "bash") {
    out << "# bash completion for wpectl: eval \"$(wpectl completion bash)\"\n"
        << "_wpectl() {\n"
        << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd= i\n"
        << "  case \"$prev\" in --socket) COMPREPLY=($(compgen -f -- \"$cur\")); return;; "
           "--profile) return;; esac\n"
        << "  for ((i=1; i<COMP_CWORD; i++)); do case \"${COMP_WORDS[i]}\" in -*) ;; *) "
           "cmd=\"${COMP_WORDS[i]}\"; break;; esac; done\n"
        << "  case \"$cmd\" in\n"
        << "    '') COMPREPLY=($(compgen -W \"" << names << " " << kGlobalFlags
        << "\" -- \"$cur\"));;\n"
        << "    completion) COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\"));;\n";
    for (const auto& c : allCommands()) {
      std::string flags;
      for (const auto& f : c.flags) flags += " " + f;
      if (c.name != "completion") {
        out << "    " << c.name << ") COMPREPLY=($(compgen -W \"" << kGlobalFlags << flags
            << "\" -- \"$cur\"));;\n";
      }
    }
    out << "  esac\n}\ncomplete -F _wpectl wpectl\n";
  } else {
    out << "#compdef wpectl\n# zsh completion for wpectl: eval \"$(wpectl completion zsh)\"\n"
        << "_wpectl() {\n  local -a commands\n  commands=(\n";
    for (const auto& c : allCommands()) out << "    '" << c.name << ":" << c.summary << "'\n";
    out << "  )\n"
        << "  _arguments -C '--socket[socket path]:socket:_files' '--profile[profile "
           "name]:profile:' "
           "'--json[print JSON]' '--help[show help]' '--version[print the version]' "
           "'1:command:->cmd' '*::arg:->args'\n"
        << "  case $state in\n    cmd) _describe 'command' commands;;\n"
        << "    args) case $words[1] in\n      completion) _values 'shell' bash zsh;;\n";
    for (const auto& c : allCommands()) {
      if (c.flags.empty() || c.name == "completion") continue;
      out << "      " << c.name << ") compadd --";
      for (const auto& f : c.flags) out << " " << f;
      out << ";;\n";
    }
    out << "    esac;;\n  esac\n}\n"
        << "compdef _wpectl wpectl 2>/dev/null || true\n";
  }
  return kExitOk;
}

}  // namespace

void addCompletionCommand(CommandList& commands) {
  commands.push_back(
      {"completion", "completion bash|zsh", "print a shell completion script", {}, completion});
}

}  // namespace wpe::ctl
