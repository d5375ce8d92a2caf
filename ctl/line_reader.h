#pragma once
// LineReader: reads lines from a file descriptor (stdin or the terminal) without blocking
// past a deadline, so `wpectl login --oauth --no-browser` can wait for a pasted address and
// for the login to finish at the same time. Lines may carry a secret (the pasted callback
// address holds an authorization code): they are handed out as Secret and the buffer is
// wiped when a line leaves it and on destruction.
// Not thread-safe; borrows the descriptor (does not close it).

#include <chrono>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/secret.h"

namespace wpe::ctl {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its "\n" / "\r\n", or nullopt when none is complete within `wait`
  // or the input has ended. A last line without a newline is returned at end of input.
  // Fails (Internal) only when reading fails; a line over 64 KiB is BadRequest.
  Result<std::optional<Secret>> next(std::chrono::milliseconds wait);

  // False once the input has ended (or failed): waiting on it would never give a line.
  bool open() const { return open_; }

 private:
  std::optional<Secret> takeLine(std::size_t end);

  int fd_;
  bool open_ = true;
  std::string buffer_;
};

}  // namespace wpe::ctl
