#pragma once
// CompletionScript: the bash, zsh and fish completion scripts for wpectl, generated from the
// command table (allCommands()) so that they cannot drift from the commands and options
// wpectl really has. Internal commands are left out.
//
// What the scripts complete: command names, the global options, each command's options,
// `completion`'s shells, -X's methods, files after --socket and --data, and — through
// `wpectl __complete KIND PREFIX`, which prints nothing when wped is down — profile names
// after --profile and site names for `wpectl site`. The user's --profile/--socket words are
// passed on to __complete so that the names come from the profile being typed.
//
// An option takes a value when, in the command's usage text, it is followed by an
// upper-case placeholder ("--min-valid SECONDS", "-X METHOD").

#include <string>

#include "ctl/command.h"

namespace wpe::ctl {

class CompletionScript {
 public:
  explicit CompletionScript(const CommandList& commands);

  std::string bash() const;
  std::string zsh() const;
  std::string fish() const;

  // True when `option` of `command` takes a value (see above).
  static bool takesValue(const Command& command, const std::string& option);

 private:
  // Options that take a value, over all commands (sorted, unique), for "complete nothing
  // after this word" rules.
  std::vector<std::string> valueOptions() const;
  // valueOptions() but -X and the file options: after these, nothing is offered.
  std::vector<std::string> silentOptions() const;

  std::vector<const Command*> commands_;  // the public ones, in --help order
};

}  // namespace wpe::ctl
