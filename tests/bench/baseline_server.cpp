#include "baseline_server.h"

#include <vector>

namespace wpe::bench {

BaselineServer::BaselineServer(std::size_t requestBytes, std::size_t responseBytes)
    : requestBytes_(requestBytes),
      response_(responseBytes, 'r'),
      listener_([this](UnixStream& stream) { serve(stream); }) {}

void BaselineServer::serve(UnixStream& stream) const {
  std::vector<char> request(requestBytes_);
  // Ends when the client closes (readExactly fails) or the listener shuts the socket down.
  while (stream.readExactly(request.data(), request.size()) && stream.writeAll(response_)) {
  }
}

}  // namespace wpe::bench
