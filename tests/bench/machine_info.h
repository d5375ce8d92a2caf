#pragma once
// MachineInfo: which machine produced the figures (online CPUs and the CPU model), printed
// beside every result because the numbers mean little without it.

#include <string>

namespace wpe::bench {

struct MachineInfo {
  long cpus = 0;
  std::string cpuModel = "unknown";  // /proc/cpuinfo "model name" of the first CPU

  static MachineInfo read();
};

}  // namespace wpe::bench
