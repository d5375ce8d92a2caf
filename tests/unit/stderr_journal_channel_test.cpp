#include "daemon/system/stderr_journal_channel.h"

#include <Poco/Message.h>

#include <catch2/catch.hpp>

using namespace wpe;

TEST_CASE("StderrJournalChannel: one line with an sd-daemon priority prefix", "[journal_channel]") {
  Poco::Message warning("wped", "refused uid 5", Poco::Message::PRIO_WARNING);
  CHECK(StderrJournalChannel::format(warning) == "<4>refused uid 5\n");
  Poco::Message info("wped", "hello", Poco::Message::PRIO_INFORMATION);
  CHECK(StderrJournalChannel::format(info, false) == "wped: hello\n");
  CHECK(StderrJournalChannel::journalPriority(Poco::Message::PRIO_FATAL) == 2);
  CHECK(StderrJournalChannel::journalPriority(Poco::Message::PRIO_ERROR) == 3);
  CHECK(StderrJournalChannel::journalPriority(Poco::Message::PRIO_TRACE) == 7);
}

TEST_CASE("StderrJournalChannel: newlines and control characters cannot forge lines",
          "[journal_channel]") {
  Poco::Message hostile("wped", "path /x\n<0>fake emergency\x1b[2J", Poco::Message::PRIO_NOTICE);
  auto line = StderrJournalChannel::format(hostile);
  CHECK(line == "<5>path /x\\x0a<0>fake emergency\\x1b[2J\n");
  Poco::Message huge("wped", std::string(100000, 'a'), Poco::Message::PRIO_NOTICE);
  CHECK(StderrJournalChannel::format(huge).size() < 5000);
}
