#pragma once
// ListBody: one cached list's JSON array text, "[{…},{…}]" in the API's order, exactly the
// bytes a list reply carries after "results": (docs/local-api.md). Immutable once built and
// shared by every reply that sends it (std::shared_ptr<const ListBody>), so a read of 10,000
// sites copies nothing (issue 10).
//
// Kept as an unnamed file (O_TMPFILE, or a name unlinked at once where the filesystem has no
// O_TMPFILE) in the cache directory: its bytes live in the page cache, not in wped's heap,
// and a reply hands them to the socket with sendfile(2). Having no name, nothing else can
// open, replace or follow it; it is 0600 and ours (docs/security.md rules 17, 18: the
// directory is opened O_NOFOLLOW and must be a directory of our uid); it vanishes with its
// last descriptor — also at kill -9, so a restarted wped never serves a body of before: the
// CacheStore builds it again from the committed rows at the first read.
// When no file can be made (a full disk, a refused directory) the text is kept in memory
// instead (fd() is -1): slower and larger, never wrong.
//
// Thread-safe once built (fd() is read with pread/sendfile at explicit offsets only).

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace wpe {

class ListBody {
 public:
  // Writes one piece of the text; false stops the producer (its own failure or ours).
  using Sink = std::function<bool(std::string_view)>;
  // Calls `produce` with a sink, and makes a body of what it wrote. produce returns false
  // (after storing its own reason) to give up: then nothing is returned. It may be called a
  // second time, from the start, when the file could not be written (the text then goes to
  // memory), so it must produce the same text each time.
  static std::shared_ptr<const ListBody> build(const std::string& cacheDir,
                                               const std::function<bool(const Sink&)>& produce);
  // A body held in memory (small or fallback texts, tests).
  static std::shared_ptr<const ListBody> fromText(std::string text);

  ~ListBody();
  ListBody(const ListBody&) = delete;
  ListBody& operator=(const ListBody&) = delete;

  std::size_t size() const { return size_; }
  // The unnamed file holding the text, or -1 when it is in memory (text()).
  int fd() const { return fd_; }
  const std::string& text() const { return text_; }
  // The whole text, read back from the file if need be (tests, tools; never the reply path).
  Result<std::string> read() const;

 private:
  ListBody(int fd, std::size_t size, std::string text);

  const int fd_;
  const std::size_t size_;
  const std::string text_;
};

}  // namespace wpe
