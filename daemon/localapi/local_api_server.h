#pragma once
// LocalApiServer: serves the Router on the Unix socket (docs/security.md rules 5, 6).
//
// One accept thread blocks in poll() on the listening socket and the stop pipe (no timeout:
// an idle daemon does not wake; POCO's TCPServer polled every 250 ms and its dispatcher
// every second, issue 10); each connection runs ApiConnection on a pool thread for its whole
// life (keep-alive requests are parsed, dispatched and answered on that thread: no
// per-request hand-off). With every pool thread busy a newcomer gets 503 and is closed.
// Connections wait for requests in a blocking recv(); stop() wakes them by shutting the
// reading side of each socket, and the stop pipe wakes those waiting to write.
// Every connection is checked with SO_PEERCRED first; another uid is closed without a byte
// and logged once per uid. Beyond `maxConnections` concurrent connections a newcomer gets
// 503 and is closed. Limits and timeouts: HttpLimits.
//
// Lifecycle: construct, start() (threads begin here), stop() (stops accepting, wakes every
// connection, waits for them, closes the socket and unlinks it when we bound it).
// start()/stop() from one thread; the rest is internally synchronised.

#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "daemon/localapi/http_limits.h"
#include "daemon/localapi/listen_socket.h"
#include "daemon/localapi/router.h"

namespace Poco {
class Logger;
}

namespace wpe {

struct ServerOptions {
  HttpLimits limits;
  // 384 threads: 200 slow-drip connections each hold one until the header deadline, and a
  // normal client still finds a free one. Beyond maxConnections a newcomer gets 503.
  int maxThreads = 384;
  int maxConnections = 320;
};

class LocalApiServer {
 public:
  // `router` and `logger` must outlive the server. Takes the listening socket.
  LocalApiServer(Poco::Logger& logger, const Router& router, ListenSocket socket,
                 ServerOptions options = {});
  ~LocalApiServer();
  LocalApiServer(const LocalApiServer&) = delete;
  LocalApiServer& operator=(const LocalApiServer&) = delete;

  Status start();
  void stop();

  const std::string& socketPath() const { return socket_.path; }
  bool socketFromSystemd() const { return !socket_.ownsPath; }

  // --- used by ApiConnection ---
  Poco::Logger& logger() const { return logger_; }
  const Router& router() const { return router_; }
  const HttpLimits& limits() const { return options_.limits; }
  int stopFd() const { return stopPipe_[0]; }  // readable once stop() began
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  // Counts the connection on socket `fd` in, and registers it to be woken by stop(); false
  // when over the cap (the caller answers 503). leave(fd) before the socket is closed, so
  // stop() never shuts a reused descriptor.
  bool enter(int fd);
  void leave(int fd);
  // Logs a refused peer uid the first time it is seen.
  void noteForeignPeer(unsigned uid, int pid);

 private:
  Poco::Logger& logger_;
  const Router& router_;
  ListenSocket socket_;
  ServerOptions options_;
  void acceptLoop();
  // Runs a connection on the pool, or answers 503 and closes it when no thread is free.
  void dispatch(int fd);

  std::unique_ptr<Poco::ThreadPool> pool_;
  std::thread acceptor_;
  int stopPipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  Mutex connectionsMutex_;
  std::set<int> connections_ GUARDED_BY(connectionsMutex_);  // entered, not yet left
  Mutex refusedMutex_;
  std::set<unsigned> refusedUids_ GUARDED_BY(refusedMutex_);
};

}  // namespace wpe
