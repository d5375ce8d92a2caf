#include "ctl/command_args.h"

namespace wpe::ctl {

CommandArgs::CommandArgs(std::string command, std::set<std::string> flags,
                         std::set<std::string> valueOptions, std::size_t maxPositionals)
    : command_(std::move(command)),
      flags_(std::move(flags)),
      valueOptions_(std::move(valueOptions)),
      maxPositionals_(maxPositionals) {}

Error CommandArgs::usage(const std::string& message) const {
  return Error(ErrorCode::BadRequest, message + " for `" + command_ + "` (see wpectl --help)");
}

std::optional<std::string> CommandArgs::value(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Status CommandArgs::parse(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.size() < 2 || word[0] != '-') {
      if (positionals_.size() >= maxPositionals_)
        return usage("unexpected argument \"" + word + "\"");
      positionals_.push_back(word);
      continue;
    }
    std::string name = word;
    std::optional<std::string> inlineValue;
    if (auto eq = word.find('='); eq != std::string::npos && word.rfind("--", 0) == 0) {
      name = word.substr(0, eq);
      inlineValue = word.substr(eq + 1);
    }
    if (seen_.count(name)) return usage(name + " given twice");
    if (flags_.count(name)) {
      if (inlineValue) return usage(name + " takes no value");
      seen_.insert(name);
    } else if (valueOptions_.count(name)) {
      if (!inlineValue) {
        if (i + 1 >= args.size()) return usage(name + " needs a value");
        inlineValue = args[++i];
      }
      seen_.insert(name);
      values_[name] = *inlineValue;
    } else {
      return usage("unknown option \"" + name + "\"");
    }
  }
  return {};
}

}  // namespace wpe::ctl
