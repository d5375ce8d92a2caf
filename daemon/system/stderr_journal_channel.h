#pragma once
// StderrJournalChannel: a POCO Channel writing one line per record to stderr. When stderr is
// the journal (see stderrIsJournal) each line starts with the sd-daemon "<N>" priority
// prefix, which journald turns into the record's priority (docs/security.md rule 19), and the
// "wped: " source name is left out (journald already shows "wped[PID]: "). On a terminal or
// a file a person reads the line as it is: no "<N>", the name kept. Control characters in the text
// are escaped (escapeLogLine: once — text escaped at its source stays as it is) and the line
// capped, so a hostile value cannot forge or flood log lines. One write() per record, under a
// mutex: thread-safe, lines never interleave.

#include <Poco/Channel.h>

#include "common/mutex.h"

namespace wpe {

class StderrJournalChannel : public Poco::Channel {
 public:
  // `journal`: true when `fd` is the journal stream (priority prefixes, no source name).
  explicit StderrJournalChannel(int fd = 2, bool journal = true) : fd_(fd), journal_(journal) {}
  void log(const Poco::Message& message) override;

  // "<N>" for a POCO priority: fatal/critical → 2, error → 3, warning → 4, notice → 5,
  // information → 6, debug/trace → 7.
  static int journalPriority(int pocoPriority);
  // The line written for a record, newline included: "<N>text" for the journal (a source
  // other than "wped" kept as "source: "), "source: text" otherwise.
  static std::string format(const Poco::Message& message, bool journal = true);

 private:
  int fd_;
  bool journal_;
  Mutex mutex_;
};

}  // namespace wpe
