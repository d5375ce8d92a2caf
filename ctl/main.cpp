#include <iostream>

#include "ctl/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return wpe::ctl::runCli(args, wpe::processEnv(), std::cout, std::cerr);
}
