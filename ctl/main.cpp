#include <unistd.h>

#include "ctl/cli.h"
#include "ctl/output.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  wpe::ctl::Output out(STDOUT_FILENO, wpe::ctl::Output::Buffering::Full);
  wpe::ctl::Output err(STDERR_FILENO, wpe::ctl::Output::Buffering::Line);
  return wpe::ctl::runCli(args, wpe::processEnv(), out, err);
}
