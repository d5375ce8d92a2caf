#pragma once
// ApiConnection: one accepted client on the local API, run on a TCPServer pool thread.
// Checks the peer's uid, then reads, parses, dispatches and answers requests until the
// client closes, asks for Connection: close, breaks a limit, times out, or the server stops.
// Reads and writes use poll() on the socket and the server's stop pipe, so stop() wakes it
// at once; writes carry MSG_NOSIGNAL and a deadline (a client that never reads is dropped).

#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <string>

#include "daemon/localapi/api_request.h"
#include "daemon/localapi/api_response.h"

namespace wpe {

class LocalApiServer;

class ApiConnection : public Poco::Net::TCPServerConnection {
 public:
  ApiConnection(const Poco::Net::StreamSocket& socket, LocalApiServer& server);
  void run() override;

 private:
  enum class Wait { Ready, Timeout, Stop, Closed };
  using TimePoint = std::chrono::steady_clock::time_point;

  bool peerIsUs();
  void serve();
  // Appends whatever arrives before `deadline` to buffer_.
  Wait readMore(TimePoint deadline);
  bool writeAll(const std::string& head, const std::string& body);
  // Sends `size` bytes of the file `fd` from offset 0 (sendfile: no copy through us).
  bool sendFile(int fd, std::size_t size);
  // Waits until the socket takes bytes again; false when `deadline` passed or stop() began.
  bool waitWritable(TimePoint deadline);
  bool respond(const ApiResponse& response, bool keepAlive);

  LocalApiServer& server_;
  int fd_;
  ConnectionPeer peer_;  // from SO_PEERCRED at accept; handed to every request
  std::string buffer_;
  std::string head_;  // reused response head
};

class ApiConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit ApiConnectionFactory(LocalApiServer& server) : server_(server) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new ApiConnection(socket, server_);  // TCPServer owns and deletes it
  }

 private:
  LocalApiServer& server_;
};

}  // namespace wpe
