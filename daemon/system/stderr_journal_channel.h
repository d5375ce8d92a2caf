#pragma once
// StderrJournalChannel: a POCO Channel writing one line per record to stderr with the
// sd-daemon "<N>" priority prefix, which journald turns into the record's priority
// (security.md rule 12). Control characters in the text are escaped and the line capped,
// so a hostile value cannot forge or flood log lines. One write() per record, under a mutex:
// thread-safe, lines never interleave.

#include <Poco/Channel.h>

#include <mutex>

namespace wpe {

class StderrJournalChannel : public Poco::Channel {
 public:
  // `prefixes`: false when stderr is a terminal (a person reads it, not journald).
  explicit StderrJournalChannel(int fd = 2, bool prefixes = true) : fd_(fd), prefixes_(prefixes) {}
  void log(const Poco::Message& message) override;

  // "<N>" for a POCO priority: fatal/critical → 2, error → 3, warning → 4, notice → 5,
  // information → 6, debug/trace → 7.
  static int journalPriority(int pocoPriority);
  // The line written for a record, newline included.
  static std::string format(const Poco::Message& message, bool prefix = true);

 private:
  int fd_;
  bool prefixes_;
  std::mutex mutex_;
};

}  // namespace wpe
