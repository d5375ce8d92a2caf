#include "daemon/localapi/local_api_server.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/http_reason.h"
#include "common/log_escape.h"
#include "daemon/localapi/api_connection.h"

namespace wpe {

LocalApiServer::LocalApiServer(Poco::Logger& logger, const Router& router, ListenSocket socket,
                               ServerOptions options)
    : logger_(logger), router_(router), socket_(std::move(socket)), options_(options) {}

LocalApiServer::~LocalApiServer() {
  stop();
  for (int& fd : stopPipe_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

Status LocalApiServer::start() {
  if (::pipe2(stopPipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Error(ErrorCode::Internal, std::string("pipe2: ") + std::strerror(errno));
  }
  // Non-blocking: a client that hangs up between poll() and accept() must not block the loop.
  const int listenFd = socket_.socket.impl()->sockfd();
  const int flags = ::fcntl(listenFd, F_GETFL);
  if (flags < 0 || ::fcntl(listenFd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return Error(ErrorCode::Internal, std::string("fcntl: ") + std::strerror(errno));
  }
  try {
    // 16 threads warm: a burst of clients does not wait for thread creation, which costs
    // milliseconds each on a loaded machine. 256 KiB stacks: a connection needs little.
    pool_ = std::make_unique<Poco::ThreadPool>("wped-api", 16, options_.maxThreads, 60, 256 * 1024);
    acceptor_ = std::thread([this] { acceptLoop(); });
  } catch (const std::exception& e) {
    return Error(ErrorCode::Internal, std::string("cannot start serving: ") + e.what());
  }
  return {};
}

void LocalApiServer::acceptLoop() {
  const int listenFd = socket_.socket.impl()->sockfd();
  bool exhaustedLogged = false;
  for (;;) {
    pollfd fds[2] = {{listenFd, POLLIN, 0}, {stopPipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      logger_.error("local API: poll failed: %s; no longer accepting",
                    std::string(std::strerror(errno)));
      return;
    }
    if (fds[1].revents != 0) return;  // stop() began
    if ((fds[0].revents & (POLLERR | POLLNVAL)) != 0) {
      logger_.error("local API: the listening socket failed; no longer accepting");
      return;
    }
    // Blocking: ApiConnection waits in recv() (its writes say MSG_DONTWAIT).
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      exhaustedLogged = false;
      dispatch(fd);
      continue;
    }
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // Out of descriptors or memory: the pending client stays queued; wait a little (or
      // for stop()) instead of spinning on a socket that stays readable.
      if (!exhaustedLogged) {
        exhaustedLogged = true;
        logger_.warning("local API: cannot accept: %s", std::string(std::strerror(errno)));
      }
      pollfd stop{stopPipe_[0], POLLIN, 0};
      if (::poll(&stop, 1, 100) > 0) return;
    }
    // EAGAIN, ECONNABORTED, EINTR, EPROTO…: that client is gone; the next one is served.
  }
}

void LocalApiServer::dispatch(int fd) {
  auto* connection = new ApiConnection(fd, *this);  // deletes itself at the end of run()
  try {
    pool_->start(*connection);
  } catch (const Poco::Exception&) {
    // NoThreadAvailable: every thread serves a client. Best effort, never blocking.
    const ApiResponse busy =
        ApiResponse::error(ErrorCode::Unavailable, "wped is busy; retry shortly");
    std::string text = "HTTP/1.1 " + std::to_string(busy.status) + " " +
                       httpReasonPhrase(busy.status) + "\r\nContent-Type: " + busy.contentType +
                       "\r\nContent-Length: " + std::to_string(busy.body.size()) + "\r\n";
    for (const auto& [name, value] : busy.headers) text += name + ": " + value + "\r\n";
    text += "Connection: close\r\n\r\n" + busy.body;
    ssize_t ignored = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)ignored;
    delete connection;  // closes fd
  }
}

void LocalApiServer::stop() {
  if (!acceptor_.joinable()) return;
  stopping_.store(true);
  ssize_t ignored = ::write(stopPipe_[1], "x", 1);  // wakes the accept loop and every poll()
  (void)ignored;
  {
    // Wakes every connection waiting in recv() for a request; an answer being written still
    // goes out (the writing side stays open).
    LockGuard lock(connectionsMutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RD);
  }
  acceptor_.join();  // accepts nothing more
  pool_->joinAll();  // every connection has finished its current answer
  try {
    socket_.socket.close();
  } catch (const Poco::Exception& e) {
    logger_.warning("closing the listening socket: %s", e.displayText());
  }
  if (socket_.ownsPath) {
    if (::unlink(socket_.path.c_str()) != 0 && errno != ENOENT) {
      logger_.warning("cannot remove %s: %s", escapeForLog(socket_.path),
                      std::string(std::strerror(errno)));
    }
  }
  pool_.reset();
}

bool LocalApiServer::enter(int fd) {
  LockGuard lock(connectionsMutex_);
  connections_.insert(fd);
  // stopping_ is set before stop() takes this lock to sweep: a connection that enters after
  // the sweep sees it here (one that entered before is in the sweep).
  if (stopping_.load()) ::shutdown(fd, SHUT_RD);
  return connections_.size() <= static_cast<std::size_t>(options_.maxConnections);
}

void LocalApiServer::leave(int fd) {
  LockGuard lock(connectionsMutex_);
  connections_.erase(fd);
}

void LocalApiServer::noteForeignPeer(unsigned uid, int pid) {
  LockGuard lock(refusedMutex_);
  if (refusedUids_.size() < 1000 && refusedUids_.insert(uid).second) {
    logger_.warning("refused a connection from uid %u (pid %d): only our own uid is served", uid,
                    pid);
  }
}

}  // namespace wpe
