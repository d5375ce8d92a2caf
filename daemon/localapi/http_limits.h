#pragma once
// The local API's protocol limits (docs/security.md rule 6). One place so the parser, the
// connection and the docs agree; tests shrink them.

#include <chrono>
#include <cstddef>

namespace wpe {

struct HttpLimits {
  std::size_t maxRequestLine = 8 * 1024;   // longer → 414
  std::size_t maxHeaderFields = 100;       // more → 431
  std::size_t maxHeaderBytes = 16 * 1024;  // header section after the request line; more → 431
  std::size_t maxBodyBytes = 1024 * 1024;  // from Content-Length, before reading; more → 413
  // From the first byte of a request until its headers are complete; then 408 and close.
  // 10 s: a local client sends its headers in one write; only a stuck or hostile one is slower.
  std::chrono::milliseconds headerTimeout{10'000};
  // Body bytes, once the headers announced them.
  std::chrono::milliseconds bodyTimeout{30'000};
  // A kept-alive connection with no request for this long is closed silently.
  std::chrono::milliseconds idleTimeout{30'000};
  // Writing a response: a client that takes no byte for this long is dropped.
  std::chrono::milliseconds writeTimeout{10'000};
};

}  // namespace wpe
