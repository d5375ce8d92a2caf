#include "machine_info.h"

#include <unistd.h>

#include <fstream>

namespace wpe::bench {

MachineInfo MachineInfo::read() {
  MachineInfo info;
  info.cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    auto colon = line.find(':');
    if (colon != std::string::npos && colon + 2 <= line.size()) {
      info.cpuModel = line.substr(colon + 2);
    }
    break;
  }
  return info;
}

}  // namespace wpe::bench
