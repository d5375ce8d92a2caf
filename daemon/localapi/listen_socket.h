#pragma once
// Binding the local API's Unix socket safely (docs/security.md rule 5):
//  - the directory is created 0700 when missing; when present it must be a real directory
//    (lstat: not a symlink), owned by our uid, with no group/other permission bits;
//  - single instance: when the socket path exists, connect() to it; if something answers,
//    fail with "wped is already running on PATH" and leave the file alone; when the connect
//    is refused (stale file), unlink it and bind;
//  - the socket is born 0600: umask(0177) around bind() — call this before any thread
//    exists, since umask is per process;
//  - a filesystem socket, never an abstract one.
// Also: adopting a socket passed by systemd (see SocketActivation).

#include <Poco/Net/ServerSocket.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace wpe {

struct ListenSocket {
  Poco::Net::ServerSocket socket;
  std::string path;
  bool ownsPath = false;  // true: we bound it and unlink it on exit; false: systemd's
};

// Checks (or creates) the parent directory of `path`. Error names the path and the problem.
Status prepareSocketDirectory(const std::string& path);

// Everything above. Error codes: Conflict — another wped answers ("already running");
// BadRequest — the directory or the path is unsafe ("refusing …"); Internal — a system call failed.
Result<ListenSocket> bindListenSocket(const std::string& path, int backlog = 1024);

// Wraps a listening fd received from systemd. `path` is what getsockname() says.
Result<ListenSocket> adoptListenSocket(int fd);

}  // namespace wpe
