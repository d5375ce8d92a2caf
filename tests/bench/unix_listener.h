#pragma once
// UnixListener: an in-process server on a fresh Unix socket in a private temporary directory
// (0700), with one thread per accepted connection running `handler`. start() starts the
// accept thread; stop() (also run by the destructor) wakes and joins every thread, closes the
// sockets and removes the directory. The handler returns when its peer closes or on error.
// start()/stop()/path() are called from one thread.

#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "unix_stream.h"

namespace wpe::bench {

class UnixListener {
 public:
  using Handler = std::function<void(UnixStream&)>;

  explicit UnixListener(Handler handler) : handler_(std::move(handler)) {}
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  // Creates the directory and socket and starts accepting. Error: which call failed.
  Status start();
  void stop();
  const std::string& path() const { return path_; }

 private:
  struct Connection {
    UnixStream stream;
    std::thread thread;
  };

  void acceptLoop();

  Handler handler_;
  std::string dir_;
  std::string path_;
  int listenFd_ = -1;
  std::thread acceptThread_;
  std::mutex mutex_;
  bool stopping_ = false;              // guarded by mutex_
  std::list<Connection> connections_;  // guarded by mutex_; streams outlive their threads
};

}  // namespace wpe::bench
