#include "tests/sandbox/install_namer.h"

namespace wpe {

std::string InstallNamer::make(const std::string& letters, const std::string& suffix) {
  const std::size_t room = kMaxLength - suffix.size();
  std::string candidate = letters.substr(0, room) + suffix;
  if (taken_.insert(candidate).second) return candidate;
  for (;;) {
    const std::string number = std::to_string(sequence_++);
    std::string numbered = letters.substr(0, room - number.size()) + number + suffix;
    if (taken_.insert(numbered).second) return numbered;
  }
}

}  // namespace wpe
