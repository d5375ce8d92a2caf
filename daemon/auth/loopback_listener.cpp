#include "daemon/auth/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <map>
#include <vector>

#include "common/http_reason.h"
#include "common/log_escape.h"

namespace wpe {

namespace {

using Clock = std::chrono::steady_clock;

// 64 open connections: a browser opens a handful; beyond that someone else is holding them.
constexpr std::size_t kMaxConnections = 64;
// The whole request head within 10 s of the connect, however slowly it arrives (a slow drip
// cannot extend it); the answer out within 5 s; then 1 s to read the peer's close.
constexpr std::chrono::seconds kRequestDeadline{10};
constexpr std::chrono::seconds kWriteDeadline{5};
constexpr std::chrono::seconds kDrainDeadline{1};
// A browser's GET with a long query (code, state) fits in a few KiB.
constexpr std::size_t kMaxHeadBytes = 8 * 1024;
// Listen backlog: connects beyond it wait in the kernel until the loop accepts them.
constexpr int kBacklog = 128;

// Reading → (a complete head) Handling: the handler runs on a thread of its own, so a slow
// code exchange never stops the loop → Writing → Draining → closed.
enum class Phase { Reading, Handling, Writing, Draining };

// At most 4 handler calls at once (a callback, its replay, a favicon); complete requests
// beyond that wait, unread, until one ends.
constexpr std::size_t kMaxHandlers = 4;

struct Connection {
  std::uint64_t id = 0;
  int fd = -1;
  Phase phase = Phase::Reading;
  std::string in;
  std::string out;
  std::size_t sent = 0;
  Clock::time_point deadline;
  Clock::time_point lastActivity;
};

std::string response(const LoopbackReply& reply) {
  return "HTTP/1.1 " + std::to_string(reply.status) + " " + httpReasonPhrase(reply.status) +
         "\r\nCache-Control: no-store\r\nContent-Security-Policy: default-src 'none'"
         "\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff"
         "\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
         std::to_string(reply.html.size()) + "\r\n\r\n" + reply.html;
}

LoopbackReply simplePage(int status, const std::string& title) {
  return {status, "<!DOCTYPE html><title>" + title + "</title><p>" + title + ".</p>"};
}

// The reply for one complete request head (up to and including the blank line).
LoopbackReply answer(const std::string& head, const LoopbackListener::Handler& handler,
                     Poco::Logger& logger) {
  const auto lineEnd = head.find_first_of("\r\n");
  const std::string line = head.substr(0, lineEnd);
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos || sp1 == 0 ||
      line.compare(sp2 + 1, 5, "HTTP/") != 0) {
    return simplePage(400, "Bad request");
  }
  const std::string method = line.substr(0, sp1);
  const std::string uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto q = uri.find('?');
  const std::string path = uri.substr(0, q);
  const std::string query = q == std::string::npos ? std::string() : uri.substr(q + 1);
  logger.information("login listener: " + escapeForLog(method, 16) + " received on " +
                     escapeForLog(path, 80));
  if (method != "GET") return simplePage(405, "Method not allowed");
  try {
    return handler(path, query);
  } catch (const std::exception& e) {
    // Last resort per request: a bug must not take the listener thread down.
    logger.error("login listener: handler failed: " + escapeForLog(e.what()));
    return simplePage(500, "Internal error");
  }
}

// Writes what is left of c.out; false when the connection is to be closed now.
bool flush(Connection& c) {
  while (c.sent < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) return false;
    c.sent += static_cast<std::size_t>(n);
  }
  // All out: half-close and read the peer's close, so unread bytes cannot turn our close
  // into a reset that loses the page.
  ::shutdown(c.fd, SHUT_WR);
  c.phase = Phase::Draining;
  c.deadline = Clock::now() + kDrainDeadline;
  return true;
}

void startReply(Connection& c, const LoopbackReply& reply) {
  c.in.clear();
  c.in.shrink_to_fit();
  c.out = response(reply);
  c.sent = 0;
  c.phase = Phase::Writing;
  c.deadline = Clock::now() + kWriteDeadline;
}

// Reads what is there; false when the connection is to be closed now. A complete head is
// left in c.in with the phase Handling, for the loop to hand to the handler.
bool readSome(Connection& c) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) return false;  // closed by the peer, or an error
    c.lastActivity = Clock::now();
    if (c.phase == Phase::Draining) continue;  // discard until the peer closes
    if (c.phase != Phase::Reading) continue;
    c.in.append(buf, static_cast<std::size_t>(n));
    auto end = c.in.find("\r\n\r\n");
    std::size_t headBytes = end == std::string::npos ? std::string::npos : end + 4;
    if (headBytes == std::string::npos) {
      end = c.in.find("\n\n");
      if (end != std::string::npos) headBytes = end + 2;
    }
    if (headBytes == std::string::npos && c.in.size() > kMaxHeadBytes) {
      startReply(c, simplePage(431, "Request too large"));
      return flush(c);
    }
    if (headBytes != std::string::npos) {
      c.in.resize(headBytes);
      c.phase = Phase::Handling;
      c.deadline = Clock::time_point::max();  // the handler decides how long it takes
      return true;
    }
  }
}

}  // namespace

LoopbackListener::LoopbackListener(Poco::Logger& logger) : logger_(logger) {}

LoopbackListener::~LoopbackListener() { stop(); }

Result<std::uint16_t> LoopbackListener::start(std::uint16_t port, Handler handler) {
  if (thread_.joinable() || listenFd_ >= 0)
    return Error(ErrorCode::Internal, "login listener already started");
  const auto fail = [&](ErrorCode code, const std::string& what) {
    const std::string reason = std::strerror(errno);
    if (listenFd_ >= 0) ::close(listenFd_);
    if (wakeFd_ >= 0) ::close(wakeFd_);
    listenFd_ = wakeFd_ = -1;
    return Error(code, what + " (" + reason + ")");
  };
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) return fail(ErrorCode::Internal, "login listener: socket");
  const int one = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listenFd_, kBacklog) != 0) {
    return fail(ErrorCode::Unavailable,
                "cannot listen on 127.0.0.1:" + std::to_string(port) +
                    " for the OAuth redirect; set redirect_port = 0 or free the port");
  }
  socklen_t length = sizeof address;
  if (::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    return fail(ErrorCode::Internal, "login listener: getsockname");
  port_ = ntohs(address.sin_port);
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd_ < 0) return fail(ErrorCode::Internal, "login listener: eventfd");
  stopping_ = false;
  try {
    thread_ = std::thread([this, handler = std::move(handler)] { run(handler); });
  } catch (const std::system_error& e) {
    errno = e.code().value();
    return fail(ErrorCode::Internal, "login listener: thread");
  }
  return port_;
}

void LoopbackListener::stop() {
  LockGuard lock(stopMutex_);
  if (!thread_.joinable()) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  if (::write(wakeFd_, &one, sizeof one) < 0) {
    // The counter cannot overflow with one write; the loop also polls stopping_ each second.
  }
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // misuse (stop from the handler): never join ourselves
    return;
  }
  thread_.join();
  ::close(wakeFd_);
  wakeFd_ = -1;
  logger_.information("login listener on 127.0.0.1:" + std::to_string(port_) + " closed");
}

void LoopbackListener::run(Handler handler) {
  std::list<Connection> connections;
  std::uint64_t nextId = 1;
  std::size_t evicted = 0, expired = 0;
  std::vector<pollfd> fds;
  std::vector<Connection*> order;

  // Handler calls, each on a thread of its own; their replies come back through `finished`.
  Mutex finishedMutex;  // guards `finished`
  std::vector<std::pair<std::uint64_t, LoopbackReply>> finished;
  std::map<std::uint64_t, std::thread> workers;  // joined as soon as their reply is in
  std::size_t inFlight = 0;
  const auto startHandler = [&](Connection& c) {
    ++inFlight;
    workers[c.id] = std::thread([&, id = c.id, head = std::move(c.in)] {
      LoopbackReply reply = answer(head, handler, logger_);
      {
        LockGuard lock(finishedMutex);
        finished.emplace_back(id, std::move(reply));
      }
      const std::uint64_t one = 1;
      if (::write(wakeFd_, &one, sizeof one) < 0) {
        // Cannot fail for an eventfd counter this small; the loop also wakes each second.
      }
    });
    c.in.clear();
  };
  const auto find = [&](std::uint64_t id) -> Connection* {
    for (auto& c : connections)
      if (c.id == id) return &c;
    return nullptr;  // closed meanwhile (stop)
  };

  while (!stopping_) {
    fds.clear();
    order.clear();
    fds.push_back({wakeFd_, POLLIN, 0});
    fds.push_back({listenFd_, POLLIN, 0});
    auto now = Clock::now();
    Clock::time_point next = now + std::chrono::seconds(1);
    for (auto& c : connections) {
      const short events = c.phase == Phase::Writing ? POLLOUT : POLLIN;
      // While its handler runs nothing is read from it: a negative fd makes poll() skip it
      // (events 0 would still report a hang-up each round and spin the loop).
      fds.push_back({c.phase == Phase::Handling ? -1 : c.fd, events, 0});
      order.push_back(&c);
      next = std::min(next, c.deadline);
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait, 0)) + 1);
    if (ready < 0 && errno != EINTR) {
      logger_.error(std::string("login listener: poll failed: ") + std::strerror(errno));
      break;
    }
    if (stopping_) break;
    if (fds[0].revents & POLLIN) {
      std::uint64_t count = 0;
      if (::read(wakeFd_, &count, sizeof count) < 0) {
        // EAGAIN: another round already took the count
      }
    }

    std::vector<std::uint64_t> done;
    {
      LockGuard lock(finishedMutex);
      for (auto& [id, reply] : finished) {
        --inFlight;
        workers[id].join();  // it has delivered its reply: at most its last write is left
        workers.erase(id);
        if (Connection* c = find(id)) {
          startReply(*c, reply);
          if (!flush(*c)) done.push_back(id);
        }
      }
      finished.clear();
    }

    // Existing connections before new ones: a request already here is answered before new
    // connects can push anything out.
    for (std::size_t i = 0; i < order.size(); ++i) {
      Connection& c = *order[i];
      const short revents = fds[i + 2].revents;
      bool keep = true;
      if (c.phase == Phase::Handling) continue;
      if (revents & (POLLIN | POLLHUP | POLLERR)) {
        keep = c.phase == Phase::Writing ? flush(c) : readSome(c);
      } else if (revents & POLLOUT) {
        keep = flush(c);
      }
      if (keep && c.phase != Phase::Handling && Clock::now() >= c.deadline) {
        if (c.phase == Phase::Reading) ++expired;
        keep = false;
      }
      if (!keep) done.push_back(c.id);
    }
    connections.remove_if([&](const Connection& c) {
      if (std::find(done.begin(), done.end(), c.id) == done.end()) return false;
      ::close(c.fd);
      return true;
    });

    // Complete requests start in arrival order while there is a free handler slot.
    for (auto& c : connections) {
      if (inFlight >= kMaxHandlers) break;
      if (c.phase == Phase::Handling && !c.in.empty()) startHandler(c);
    }

    if (fds[1].revents & POLLIN) {
      for (;;) {
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          if (errno == EINTR || errno == ECONNABORTED) continue;
          break;  // EAGAIN: all accepted; EMFILE and the like: try again next round
        }
        if (connections.size() >= kMaxConnections) {
          // Full: of the connections still reading, the one quiet longest goes (a stalled
          // one; a request being handled or answered is never dropped).
          auto quietest = connections.end();
          for (auto it = connections.begin(); it != connections.end(); ++it) {
            if (it->phase != Phase::Reading) continue;
            if (quietest == connections.end() || it->lastActivity < quietest->lastActivity)
              quietest = it;
          }
          if (quietest == connections.end()) {
            ::close(fd);  // every slot is busy answering: this one has to come back
            ++evicted;
            continue;
          }
          ::close(quietest->fd);
          connections.erase(quietest);
          ++evicted;
        }
        Connection c;
        c.id = nextId++;
        c.fd = fd;
        c.lastActivity = Clock::now();
        c.deadline = c.lastActivity + kRequestDeadline;
        connections.push_back(std::move(c));
      }
    }
  }

  ::close(listenFd_);  // from here connects are refused
  listenFd_ = -1;
  // Requests in progress finish: their replies get one write before everything is closed.
  for (auto& [id, worker] : workers) worker.join();
  for (auto& [id, reply] : finished) {
    if (Connection* c = find(id)) {
      startReply(*c, reply);
      flush(*c);
    }
  }
  for (auto& c : connections) {
    if (c.phase == Phase::Writing) flush(c);
    ::close(c.fd);
  }
  if (evicted > 0 || expired > 0) {
    logger_.warning("login listener: closed " + std::to_string(evicted) +
                    " connection(s) to make room and " + std::to_string(expired) +
                    " that sent no request in time (another local process holding the port?)");
  }
}

}  // namespace wpe
