#include "daemon/system/journal_stream.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace wpe {

bool stderrIsJournal(int fd, const char* journalStream) {
  if (journalStream == nullptr) return false;
  const std::string text(journalStream);
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != colon && (text[i] < '0' || text[i] > '9')) return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  const unsigned long long dev = std::strtoull(text.substr(0, colon).c_str(), nullptr, 10);
  const unsigned long long ino = std::strtoull(text.substr(colon + 1).c_str(), nullptr, 10);
  return dev == static_cast<unsigned long long>(st.st_dev) &&
         ino == static_cast<unsigned long long>(st.st_ino);
}

}  // namespace wpe
