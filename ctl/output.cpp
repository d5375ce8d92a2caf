#include "ctl/output.h"

#include <unistd.h>

#include <cerrno>

namespace wpe::ctl {

void Output::write(std::string_view text) {
  if (!ok_) return;
  buffer_.append(text);
  if (fd_ < 0) return;
  bool lineDone = buffering_ == Buffering::Line && text.find('\n') != std::string_view::npos;
  if (lineDone || buffer_.size() >= kFlushAt) flush();
}

bool Output::flush() {
  if (fd_ < 0) return ok_;
  std::size_t done = 0;
  while (ok_ && done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok_ = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return ok_;
}

}  // namespace wpe::ctl
