#pragma once
// MaskedOutput: copies a child's stdout and stderr pipes to wpectl's own stdout and stderr
// until both reach end of file, each through its own SecretMasker (`wpectl exec --mask`).
// A write error on one side (the reader went away) discards the rest of that stream but keeps
// draining it, so the child never blocks on a full pipe.

#include <vector>

#include "common/secret.h"

namespace wpe::ctl {

class MaskedOutput {
 public:
  MaskedOutput(int childOut, int childErr, std::vector<Secret> secrets)
      : childOut_(childOut), childErr_(childErr), secrets_(std::move(secrets)) {}

  // Returns when both pipes are closed (the child and anything it started that kept them).
  void run();

 private:
  int childOut_;
  int childErr_;
  std::vector<Secret> secrets_;
};

}  // namespace wpe::ctl
