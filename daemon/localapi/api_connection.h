#pragma once
// ApiConnection: one accepted client on the local API, run on a pool thread of the
// LocalApiServer. Checks the peer's uid, then reads, parses, dispatches and answers requests
// until the client closes, asks for Connection: close, breaks a limit, times out, or the
// server stops. Reads are one blocking recv() a request, bounded by SO_RCVTIMEO (set to the
// deadline, and kept while it is within a twentieth of it: a deadline may pass up to that
// late); stop() wakes them by shutting the socket's reading side. Writes carry MSG_DONTWAIT
// and MSG_NOSIGNAL and wait in poll() on the socket and the server's stop pipe, with a
// deadline (a client that never reads is dropped). Owns the accepted socket and closes it
// when destroyed.

#include <Poco/Runnable.h>

#include <chrono>
#include <string>

#include "daemon/localapi/api_request.h"
#include "daemon/localapi/api_response.h"

namespace wpe {

class LocalApiServer;

class ApiConnection : public Poco::Runnable {
 public:
  // Takes the accepted socket `fd` (blocking).
  ApiConnection(int fd, LocalApiServer& server);
  ~ApiConnection() override;
  ApiConnection(const ApiConnection&) = delete;
  ApiConnection& operator=(const ApiConnection&) = delete;

  // Serves the connection to its end, then deletes this object: LocalApiServer creates it
  // with new and hands it to its Poco::ThreadPool, which only borrows a Runnable (and does
  // not touch it after run() returns).
  void run() override;

 private:
  enum class Wait { Ready, Timeout, Stop, Closed };
  using TimePoint = std::chrono::steady_clock::time_point;

  bool peerIsUs();
  void serve();
  // Appends whatever arrives before `deadline` to buffer_.
  Wait readMore(TimePoint deadline);
  // Bounds the next recv() to about `ms` (SO_RCVTIMEO); false when the socket refuses.
  bool limitReceiveWait(int ms);
  bool writeAll(const std::string& head, const std::string& body);
  // Sends `size` bytes of the file `fd` from offset 0 (sendfile: no copy through us).
  bool sendFile(int fd, std::size_t size);
  // Waits until the socket takes bytes again; false when `deadline` passed or stop() began.
  bool waitWritable(TimePoint deadline);
  bool respond(const ApiResponse& response, bool keepAlive);

  LocalApiServer& server_;
  const int fd_;
  ConnectionPeer peer_;  // from SO_PEERCRED at accept; handed to every request
  std::string buffer_;
  std::string head_;        // reused response head
  int receiveWaitMs_ = -1;  // the SO_RCVTIMEO last set; -1: none (wait for ever)
};

}  // namespace wpe
