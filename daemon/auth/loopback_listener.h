#pragma once
// LoopbackListener: the OAuth redirect target — a tiny HTTP server on 127.0.0.1 (an IP
// literal, never "localhost", RFC 8252 §8.3) that exists only while a login is pending
// (security.md rule 3). It knows nothing about OAuth: every GET is handed to the handler
// with its raw path and raw query; the handler's page is sent with
// Cache-Control: no-store and Content-Type: text/html; charset=utf-8, no keep-alive.
// Requests are logged as "received on <path>" — the query (code, state) never is.
//
// start() binds and serves on its own small thread pool; stop() closes the socket (connects
// are refused once it returns) and lets requests in progress finish. stop() must not be
// called from the handler. Not copyable; start/stop from one owner thread.

#include <Poco/Logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
class ServerSocket;
}  // namespace Net
}  // namespace Poco

namespace wpe {

struct LoopbackReply {
  int status = 200;
  std::string html;  // a complete page; must reference no external resource
};

class LoopbackListener {
 public:
  using Handler = std::function<LoopbackReply(const std::string& path, const std::string& query)>;

  explicit LoopbackListener(Poco::Logger& logger);
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  // Binds 127.0.0.1:port (0: the kernel picks) and starts serving. Returns the bound port.
  // Unavailable (with the port named) when the port is taken.
  Result<std::uint16_t> start(std::uint16_t port, Handler handler);

  // Idempotent.
  void stop();

  std::uint16_t port() const { return port_; }

 private:
  Poco::Logger& logger_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::ServerSocket> socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace wpe
