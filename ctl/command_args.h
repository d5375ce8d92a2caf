#pragma once
// CommandArgs: one command's words (global options already removed by cli.cpp) checked
// against the flags and value options it declares. Unknown flags, a value option without its
// value, a repeated flag and too many positional words are usage errors (exit 2), reported
// as a BadRequest Status whose message names the offending word.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"

namespace wpe::ctl {

class CommandArgs {
 public:
  // `flags`: switches such as "--refresh"; `valueOptions`: options taking a value, as
  // "--name VALUE" or "--name=VALUE" (short ones like "-X" only as "-X VALUE").
  CommandArgs(std::string command, std::set<std::string> flags, std::set<std::string> valueOptions,
              std::size_t maxPositionals);

  Status parse(const std::vector<std::string>& args);

  bool has(const std::string& flag) const { return seen_.count(flag) > 0; }
  std::optional<std::string> value(const std::string& option) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  Error usage(const std::string& message) const;

  std::string command_;
  std::set<std::string> flags_;
  std::set<std::string> valueOptions_;
  std::size_t maxPositionals_;
  std::set<std::string> seen_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

}  // namespace wpe::ctl
