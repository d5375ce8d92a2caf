#pragma once
// Output: where wpectl writes its text: stdout or stderr (a file descriptor), or a string
// (tests, and text built before it is escaped as a whole).
//
// Not std::ostream: constructing any standard stream builds libstdc++'s locale (some thirty
// facets), and with std::cout that ran at every start-up. It was a fifth of `wpectl token`'s
// whole-process time (issue 10), so nothing in wpectl uses <iostream> or <sstream>.
//
// An fd Output keeps its text in a buffer and writes it with write(2) on flush(), when the
// buffer passes 64 KiB, and when destroyed. A line-buffered one (stderr) also writes at each
// newline, so a diagnostic is on the terminal before wpectl goes on. Once a write fails
// (EPIPE, ENOSPC) ok() is false and later text is dropped: the exit code says the rest.
// Not thread-safe: one thread writes at a time (ProgressNotice's rule).

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>

namespace wpe::ctl {

class Output {
 public:
  enum class Buffering { Full, Line };

  // Text kept in text(); nothing is written anywhere.
  Output() = default;
  Output(int fd, Buffering buffering) : fd_(fd), buffering_(buffering) {}
  ~Output() { flush(); }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  Output& operator<<(std::string_view text) {
    write(text);
    return *this;
  }
  Output& operator<<(const char* text) { return *this << std::string_view(text); }
  Output& operator<<(const std::string& text) { return *this << std::string_view(text); }
  Output& operator<<(char c) { return *this << std::string_view(&c, 1); }
  // Integers in decimal. (char is text, above; bool is not printable by design.)
  template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int> &&
                                                      !std::is_same_v<Int, char> &&
                                                      !std::is_same_v<Int, bool>>>
  Output& operator<<(Int value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return *this << std::string_view(digits, static_cast<std::size_t>(end - digits));
  }

  void write(std::string_view text);
  // Writes what is buffered (fd Outputs). False once any write failed.
  bool flush();
  bool ok() const { return ok_; }
  // A string Output: everything written to it. An fd Output: what is not written out yet.
  const std::string& text() const { return buffer_; }

 private:
  static constexpr std::size_t kFlushAt = 64 * 1024;

  int fd_ = -1;  // -1: a string Output
  Buffering buffering_ = Buffering::Full;
  std::string buffer_;
  bool ok_ = true;
};

}  // namespace wpe::ctl
