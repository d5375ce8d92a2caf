#pragma once
// stderrIsJournal: whether a file descriptor is the stream systemd connected to journald.
// systemd sets JOURNAL_STREAM="DEV:INODE" for a unit whose stderr goes to the journal; the fd
// is that stream only when its fstat() matches both numbers — a stderr redirected elsewhere
// by the user (a file, a terminal, a pipe to another process) inherits the variable but not
// the stream (sd_journal_stream_fd(3), systemd.exec(5) "$JOURNAL_STREAM").
// false when `journalStream` is null, malformed or does not match.

namespace wpe {

bool stderrIsJournal(int fd, const char* journalStream);

}  // namespace wpe
