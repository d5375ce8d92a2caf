#include "daemon/auth/loopback_listener.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include "common/log_escape.h"

namespace wpe {

namespace {

class CallbackHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  CallbackHandler(const LoopbackListener::Handler& handler, Poco::Logger& logger)
      : handler_(handler), logger_(logger) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const std::string& uri = request.getURI();
    const auto q = uri.find('?');
    const std::string path = uri.substr(0, q);
    const std::string query = q == std::string::npos ? std::string() : uri.substr(q + 1);
    logger_.information("login listener: " + escapeForLog(request.getMethod(), 16) +
                        " received on " + escapeForLog(path, 80));
    LoopbackReply reply;
    if (request.getMethod() != "GET") {
      reply = {405, "<!DOCTYPE html><title>Method not allowed</title><p>Method not allowed.</p>"};
    } else {
      try {
        reply = handler_(path, query);
      } catch (const std::exception& e) {
        // Last resort per request: a bug must not take the listener thread down.
        logger_.error(std::string("login listener: handler failed: ") + e.what());
        reply = {500, "<!DOCTYPE html><title>Error</title><p>Internal error.</p>"};
      }
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.set("Cache-Control", "no-store");
    response.set("Content-Security-Policy", "default-src 'none'");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    response.setContentType("text/html; charset=utf-8");
    response.setKeepAlive(false);
    response.setContentLength(static_cast<std::streamsize>(reply.html.size()));
    response.send() << reply.html;
  }

 private:
  const LoopbackListener::Handler& handler_;
  Poco::Logger& logger_;
};

class CallbackHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  CallbackHandlerFactory(LoopbackListener::Handler handler, Poco::Logger& logger)
      : handler_(std::move(handler)), logger_(logger) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new CallbackHandler(handler_, logger_);  // POCO takes ownership
  }

 private:
  LoopbackListener::Handler handler_;
  Poco::Logger& logger_;
};

}  // namespace

LoopbackListener::LoopbackListener(Poco::Logger& logger) : logger_(logger) {}

LoopbackListener::~LoopbackListener() {
  stop();
  if (pool_) pool_->joinAll();
}

Result<std::uint16_t> LoopbackListener::start(std::uint16_t port, Handler handler) {
  if (server_) return Error(ErrorCode::Internal, "login listener already started");
  try {
    socket_ = std::make_unique<Poco::Net::ServerSocket>();
    socket_->bind(Poco::Net::SocketAddress("127.0.0.1", port), /*reuseAddress=*/true);
    socket_->listen(16);
    port_ = socket_->address().port();
    // Two threads: one browser tab, plus room for a favicon request or a stray replay.
    pool_ = std::make_unique<Poco::ThreadPool>(1, 2);
    auto params = new Poco::Net::HTTPServerParams;  // HTTPServer takes ownership
    params->setKeepAlive(false);
    params->setMaxThreads(2);
    params->setMaxQueued(8);
    params->setTimeout(Poco::Timespan(10, 0));
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new CallbackHandlerFactory(std::move(handler), logger_),  // HTTPServer takes ownership
        *pool_, *socket_, params);
    server_->start();
    return port_;
  } catch (const Poco::Net::NetException& e) {
    server_.reset();
    socket_.reset();
    return Error(ErrorCode::Unavailable, "cannot listen on 127.0.0.1:" + std::to_string(port) +
                                             " for the OAuth redirect (" + e.displayText() +
                                             "); set redirect_port = 0 or free the port");
  } catch (const Poco::Exception& e) {
    server_.reset();
    socket_.reset();
    return Error(ErrorCode::Internal, "login listener: " + e.displayText());
  }
}

void LoopbackListener::stop() {
  if (!server_) return;
  try {
    server_->stop();   // joins the accept thread; requests in progress finish on the pool
    socket_->close();  // the server holds a copy of the socket: close the shared descriptor
  } catch (const Poco::Exception& e) {
    logger_.warning("login listener: stop: " + e.displayText());
  }
  server_.reset();
  logger_.information("login listener on 127.0.0.1:" + std::to_string(port_) + " closed");
}

}  // namespace wpe
