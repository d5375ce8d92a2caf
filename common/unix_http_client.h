#pragma once
// UnixHttpClient: a small HTTP/1.1 client for wped's Unix socket, used by wpectl, the
// daemon's watchdog self-check and the benchmarks. Keeps the connection alive between
// requests and reconnects transparently when the daemon closed an idle one.
//
// Not thread-safe: one client per thread. Owns its socket; closes it on destruction.
// request() failures:
//   Unavailable    — nothing answers on the socket (connect failed): wpectl exits 3
//   RequestTimeout — no complete answer within the timeout
//   Internal       — the connection broke mid-answer or the answer was not HTTP
// An HTTP error status from the daemon is NOT a failure: it arrives as an HttpReply.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace wpe {

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header with this (lower-case) name, or "".
  std::string header(std::string_view lowerName) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Takes a successful (2xx) answer's body piece by piece as it arrives, instead of
// HttpReply::body, which then stays empty: `wpectl sites --json` copies 10,000 sites (6 MB)
// to stdout through one 64 KiB buffer. A 6 MB buffer cost 1,500 first-touch page faults,
// 80 % of the command's time on these paravirtualised machines (issue 10). An error answer
// (4xx/5xx) is never streamed: it arrives whole in HttpReply::body, for its message.
// Returning false stops the read: request() fails with Internal, the connection is closed.
using BodySink = std::function<bool(std::string_view piece)>;

class UnixHttpClient {
 public:
  explicit UnixHttpClient(std::string socketPath,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~UnixHttpClient();
  UnixHttpClient(const UnixHttpClient&) = delete;
  UnixHttpClient& operator=(const UnixHttpClient&) = delete;

  Result<HttpReply> request(std::string_view method, std::string_view target,
                            std::string_view body = {}, const HeaderList& extraHeaders = {},
                            const BodySink& sink = {});

  const std::string& socketPath() const { return path_; }
  void close();

 private:
  Status connect();
  Status sendAll(const std::string& data, std::chrono::steady_clock::time_point deadline);
  // Reads more bytes into buffer_; 0 on orderly EOF.
  Result<std::size_t> readSome(std::chrono::steady_clock::time_point deadline);
  Result<HttpReply> readReply(std::chrono::steady_clock::time_point deadline, bool& sawAnyByte,
                              const BodySink& sink);

  std::string path_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;  // bytes read but not yet consumed
  std::string out_;     // reused request buffer
};

}  // namespace wpe
