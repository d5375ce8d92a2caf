#pragma once
// UnixStream: one connected AF_UNIX stream socket (RAII over the fd), with the few blocking
// calls a benchmark needs. Not thread-safe: one thread uses one stream.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace wpe::bench {

class UnixStream {
 public:
  UnixStream() = default;
  explicit UnixStream(int fd) : fd_(fd) {}  // takes ownership of a connected fd
  ~UnixStream();
  UnixStream(UnixStream&& other) noexcept;
  UnixStream& operator=(UnixStream&& other) noexcept;
  UnixStream(const UnixStream&) = delete;
  UnixStream& operator=(const UnixStream&) = delete;

  // Connects to `path`; every later read/write fails after `timeout` without progress, so a
  // stuck server cannot hang the benchmark. Error: the path and strerror.
  static Result<UnixStream> connect(const std::string& path, std::chrono::milliseconds timeout);

  // Writes all of `data` (retrying partial writes). Error on a closed peer or timeout.
  Status writeAll(std::string_view data);
  // Reads up to `size` bytes into `buffer`; returns the count, 0 when the peer closed.
  // Error on a socket error or timeout.
  Result<std::size_t> readSome(char* buffer, std::size_t size);
  // Reads exactly `size` bytes. Error (naming what was read) on a closed peer or timeout.
  Status readExactly(char* buffer, std::size_t size);

  int fd() const { return fd_; }
  void close();

 private:
  int fd_ = -1;
};

// Sets receive and send timeouts on a socket fd (shared by client and server sides).
void setSocketTimeouts(int fd, std::chrono::milliseconds timeout);

}  // namespace wpe::bench
