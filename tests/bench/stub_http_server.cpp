#include "stub_http_server.h"

#include <array>

namespace wpe::bench {

namespace {

// Not a secret: a fixed stand-in of the daemon's GET /v1/profiles/{p}/token body.
constexpr const char* kBody =
    "{\"access_token\":\"bench-stub-token-0123456789abcdef0123456789abcdef\","
    "\"token_type\":\"Bearer\",\"expires_at\":\"2030-01-01T00:00:00Z\","
    "\"authorization\":\"Bearer bench-stub-token-0123456789abcdef0123456789abcdef\"}";

}  // namespace

StubHttpServer::StubHttpServer() : listener_([this](UnixStream& stream) { serve(stream); }) {
  std::string body = kBody;
  response_ = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body;
}

void StubHttpServer::serve(UnixStream& stream) const {
  std::string pending;
  std::array<char, 8192> buffer{};
  for (;;) {
    auto n = stream.readSome(buffer.data(), buffer.size());
    if (!n || *n == 0) return;
    pending.append(buffer.data(), *n);
    // Answer each complete request head; pipelined requests are answered in order.
    std::size_t end;
    while ((end = pending.find("\r\n\r\n")) != std::string::npos) {
      pending.erase(0, end + 4);
      if (!stream.writeAll(response_)) return;
    }
  }
}

}  // namespace wpe::bench
