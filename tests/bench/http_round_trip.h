#pragma once
// HttpRoundTrip: a keep-alive HTTP/1.1 client connection on a Unix socket that sends
// `GET path HTTP/1.1` with `Host: localhost` and reads the full response: status line, headers,
// then a Content-Length or chunked body, across however many partial reads it arrives in.
// A non-2xx status, `Connection: close`, or the server closing the socket is an error: the
// benchmark measures a keep-alive daemon, so any of these means the figures would be wrong.

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

#include "round_trip.h"
#include "unix_stream.h"

namespace wpe::bench {

class HttpRoundTrip : public RoundTrip {
 public:
  HttpRoundTrip(UnixStream stream, std::string path);

  static Result<std::unique_ptr<HttpRoundTrip>> connect(const std::string& socketPath,
                                                        const std::string& path,
                                                        std::chrono::milliseconds timeout);

  Status run() override;

  const std::string& request() const { return request_; }
  // Bytes on the wire (status line + headers + body) of the last complete response.
  std::size_t lastResponseBytes() const { return lastResponseBytes_; }

 private:
  struct Head {
    int status = 0;
    std::string statusLine;
    long long contentLength = -1;
    bool chunked = false;
    bool close = false;
  };

  Status fill();                                   // appends at least one byte to buffer_
  Status ensure(std::size_t bytes);                // buffer_ holds at least `bytes` bytes
  Result<std::size_t> readLine(std::size_t from);  // index of the "\r\n" ending a line
  Result<Head> readHead(std::size_t& headEnd);
  Result<std::size_t> readChunkedBody(std::size_t from, std::string& body);

  UnixStream stream_;
  std::string request_;
  std::string buffer_;  // received, not yet consumed bytes
  std::size_t lastResponseBytes_ = 0;
  std::array<char, 16384> scratch_{};
};

}  // namespace wpe::bench
