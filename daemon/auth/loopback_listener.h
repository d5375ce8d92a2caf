#pragma once
// LoopbackListener: the OAuth redirect target — a tiny HTTP server on 127.0.0.1 (an IP
// literal, never "localhost", RFC 8252 §8.3) that exists only while a login is pending
// (docs/security.md rule 7). It knows nothing about OAuth: every GET is handed to the handler
// with its raw path and raw query; the handler's page is sent with
// Cache-Control: no-store and Content-Type: text/html; charset=utf-8, no keep-alive.
// Requests are logged as "received on <path>" — the query (code, state) never is.
//
// Any local user can connect to the port, so nobody may be able to hold it: start() runs
// one thread with a poll() loop over non-blocking sockets, each connection with its own
// buffer and deadline (its whole request head within 10 s, however slowly it drips; the
// answer out within 5 s). At most 64 connections are open; a new one closes the least
// recently active first. There is no pool of threads to exhaust and no queue to fill, so
// the browser's callback is read as soon as it arrives while others stall.
//
// stop() closes the listening socket (connects are refused once it returns), gives answers
// already built one last write and closes every connection. The handler runs on the loop
// thread; stop() must not be called from the handler. Not copyable; start/stop from one owner
// thread (stop() may also come from one other thread, e.g. a login's watchdog).

#include <Poco/Logger.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "common/result.h"

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
  void run(Handler handler);

  Poco::Logger& logger_;
  Mutex stopMutex_;  // serialises stop()
  std::thread thread_;
  int listenFd_ = -1;
  int wakeFd_ = -1;  // eventfd: stop() wakes the loop
  std::atomic<bool> stopping_{false};
  std::uint16_t port_ = 0;
};

}  // namespace wpe
