#include "daemon/localapi/local_api_server.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/TCPServerParams.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
  try {
    // 16 threads warm: a burst of clients does not wait for thread creation, which costs
    // milliseconds each on a loaded machine. 256 KiB stacks: a connection needs little.
    pool_ = std::make_unique<Poco::ThreadPool>("wped-api", 16, options_.maxThreads, 60, 256 * 1024);
    Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;  // refcounted
    params->setMaxThreads(options_.maxThreads);
    params->setMaxQueued(64);
    // 1 s: POCO 1.11's TCPServerDispatcher::stop() only wakes runnables already waiting; one
    // that finished a connection just then waits out this idle time before joinAll() returns
    // (seen as a 60 s hang on SIGTERM after heavy load). Pool threads stay warm regardless.
    params->setThreadIdleTime(Poco::Timespan(1, 0));
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new ApiConnectionFactory(*this),  // owned by TCPServer
        *pool_, socket_.socket, params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::Internal, "cannot start serving: " + e.displayText());
  }
  return {};
}

void LocalApiServer::stop() {
  if (!server_) return;
  stopping_.store(true);
  ssize_t ignored = ::write(stopPipe_[1], "x", 1);  // wakes every poll() in the connections
  (void)ignored;
  server_->stop();   // stops accepting; running connections see the stop pipe
  pool_->joinAll();  // every connection has finished its current answer
  server_.reset();
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

bool LocalApiServer::enter() {
  int now = active_.fetch_add(1) + 1;
  return now <= options_.maxConnections;
}

void LocalApiServer::leave() { active_.fetch_sub(1); }

void LocalApiServer::noteForeignPeer(unsigned uid, int pid) {
  LockGuard lock(refusedMutex_);
  if (refusedUids_.size() < 1000 && refusedUids_.insert(uid).second) {
    logger_.warning("refused a connection from uid %u (pid %d): only our own uid is served", uid,
                    pid);
  }
}

}  // namespace wpe
