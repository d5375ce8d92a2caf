#pragma once
// AuditSink: what the token and passthrough handlers tell the audit trail after answering.
// record() must be cheap and never block on I/O: it runs on the serving thread of every
// token request (AuditLog queues it). Thread-safe.

#include <string_view>

namespace wpe {

struct ConnectionPeer;

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // `peer`: the connection's (null when unknown, e.g. in tests); its identity is resolved on
  // first use and kept on it. `path`: the request path without the query.
  virtual void record(ConnectionPeer* peer, std::string_view profile, std::string_view method,
                      std::string_view path, int status) = 0;
};

}  // namespace wpe
