#include "ctl/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wpe::ctl {
namespace {

// A callback address is a few hundred bytes; 64 KiB is "not an address" with room to spare.
constexpr std::size_t kMaxLine = 64 * 1024;

void wipe(std::string& text) {
  std::fill(text.begin(), text.end(), '\0');
  text.clear();
}

}  // namespace

LineReader::~LineReader() { wipe(buffer_); }

std::optional<Secret> LineReader::takeLine(std::size_t end) {
  std::string line = buffer_.substr(0, end);
  std::string rest = end < buffer_.size() ? buffer_.substr(end + 1) : std::string();
  wipe(buffer_);
  buffer_ = std::move(rest);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Secret out(std::move(line));
  return out;
}

Result<std::optional<Secret>> LineReader::next(std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (auto nl = buffer_.find('\n'); nl != std::string::npos) return takeLine(nl);
    if (!open_) {
      if (buffer_.empty()) return std::optional<Secret>();
      return takeLine(buffer_.size());
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return std::optional<Secret>();
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      open_ = false;
      return Error(ErrorCode::Internal, std::string("cannot wait for input: ") + strerror(errno));
    }
    if (ready == 0) return std::optional<Secret>();
    char chunk[4096];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      open_ = false;
      std::memset(chunk, 0, sizeof chunk);
      return Error(ErrorCode::Internal, std::string("cannot read input: ") + strerror(errno));
    }
    if (n == 0) {
      open_ = false;
      continue;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    std::memset(chunk, 0, sizeof chunk);
    if (buffer_.size() > kMaxLine && buffer_.find('\n') == std::string::npos) {
      wipe(buffer_);
      return Error(ErrorCode::BadRequest, "that line is too long to be a callback address");
    }
  }
}

}  // namespace wpe::ctl
