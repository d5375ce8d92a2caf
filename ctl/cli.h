#pragma once
// wpectl's entry point, testable with string streams: parses the global options (anywhere on
// the line: --socket PATH, --profile NAME, --json, --help, --version), finds the command and
// runs it. Returns the exit code (ctl/exit_codes.h). `env` supplies WPED_SOCKET,
// WPE_PROFILE and XDG_RUNTIME_DIR.

#include <string>
#include <vector>

#include "common/paths.h"
#include "ctl/output.h"

namespace wpe::ctl {

// The overview of every command and the global options (`wpectl --help`).
void printHelp(Output& out);

int runCli(const std::vector<std::string>& args, const EnvLookup& env, Output& out,
           Output& err);

}  // namespace wpe::ctl
