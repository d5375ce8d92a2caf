#include "daemon/system/stderr_journal_channel.h"

#include <Poco/Message.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/log_escape.h"

namespace wpe {
namespace {
constexpr std::size_t kMaxLineBytes = 4096;  // a record longer than this is a bug or an attack
}

int StderrJournalChannel::journalPriority(int p) {
  switch (p) {
    case Poco::Message::PRIO_FATAL:
    case Poco::Message::PRIO_CRITICAL:
      return 2;
    case Poco::Message::PRIO_ERROR:
      return 3;
    case Poco::Message::PRIO_WARNING:
      return 4;
    case Poco::Message::PRIO_NOTICE:
      return 5;
    case Poco::Message::PRIO_INFORMATION:
      return 6;
    default:
      return 7;
  }
}

std::string StderrJournalChannel::format(const Poco::Message& message, bool journal) {
  std::string line;
  const std::string& source = message.getSource();
  if (journal) {
    line = "<" + std::to_string(journalPriority(message.getPriority())) + ">";
    // journald names the unit's process already: "wped[164]: wped: …" said it twice.
    if (!source.empty() && source != "wped") line += source + ": ";
  } else if (!source.empty()) {
    line += source + ": ";
  }
  // escapeLogLine, not escapeForLog: the text was escaped where it came in (a second pass
  // turned "\x1b" into "\x5cx1b"); this pass only stops raw controls forging lines.
  line += escapeLogLine(message.getText(), kMaxLineBytes);
  line += '\n';
  return line;
}

void StderrJournalChannel::log(const Poco::Message& message) {
  std::string line = format(message, journal_);
  LockGuard lock(mutex_);
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: nowhere left to report it
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace wpe
