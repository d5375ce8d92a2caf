#include "daemon/upstream/poco_http_transport.h"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "daemon/time/clock.h"
#include "daemon/upstream/deadline_watch.h"
#include "daemon/upstream/ssl_initializer.h"
#include "tests/unit/temp_dir.h"

using namespace wpe;
using namespace wpe::testing;

namespace {

// What the test server saw, for assertions about the request the transport sent.
struct Seen {
  std::mutex mutex;
  std::vector<std::string> authorization, userAgent, accept, clientPorts, bodies;
  std::condition_variable released;  // /slow answers only once the test lets it
  bool release = false;
};

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Seen& seen) : seen_(seen) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string body(std::istreambuf_iterator<char>(request.stream()), {});
    {
      std::lock_guard lock(seen_.mutex);
      seen_.authorization.push_back(request.get("Authorization", ""));
      seen_.userAgent.push_back(request.get("User-Agent", ""));
      seen_.accept.push_back(request.get("Accept", ""));
      seen_.clientPorts.push_back(std::to_string(request.clientAddress().port()));
      seen_.bodies.push_back(body);
    }
    if (request.getURI() == "/slow") {
      std::unique_lock lock(seen_.mutex);
      seen_.released.wait(lock, [this] { return seen_.release; });
    }
    if (request.getURI() == "/big") {
      response.setContentType("application/json");
      response.send() << std::string(5000, 'x');
      return;
    }
    if (request.getURI() == "/redirect") {
      response.set("Location", "https://example.com/elsewhere");
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_FOUND);
      response.send();
      return;
    }
    response.setContentType("application/json");
    const std::string answer = R"({"uri":")" + request.getURI() + R"("})";
    response.sendBuffer(answer.data(), answer.size());  // with a length: keep-alive works
  }

 private:
  Seen& seen_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Seen& seen) : seen_(seen) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(seen_);  // HTTPServer takes ownership
  }

 private:
  Seen& seen_;
};

void run(const std::string& command) {
  REQUIRE(std::system((command + " >/dev/null 2>&1").c_str()) == 0);
}

// A CA, a second unrelated CA, and a server certificate for 127.0.0.1 signed by the first.
struct Pki {
  TempDir dir;
  Pki() {
    const std::string d = dir.path();
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes ";
    run("openssl req -x509" + key + "-keyout " + d + "/ca.key -out " + d +
        "/ca.pem -days 2 -subj '/CN=wped test CA'");
    run("openssl req -x509" + key + "-keyout " + d + "/other.key -out " + d +
        "/other.pem -days 2 -subj '/CN=some other CA'");
    run("openssl req" + key + "-keyout " + d + "/server.key -out " + d +
        "/server.csr -subj '/CN=127.0.0.1'");
    run("printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > " + d + "/ext.cnf");
    run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
        "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d + "/ext.cnf");
  }
  std::string operator/(const std::string& name) const { return dir / name; }
};

struct TlsServer {
  Seen seen;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;

  explicit TlsServer(const Pki& pki) {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, pki / "server.key",
                               pki / "server.pem", "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;  // HTTPServer takes ownership
    params->setKeepAlive(true);
    server = std::make_unique<Poco::Net::HTTPServer>(new Factory(seen), socket, params);
    server->start();
  }
  ~TlsServer() {
    {
      std::lock_guard lock(seen.mutex);
      seen.release = true;
    }
    seen.released.notify_all();
    server->stopAll(true);
  }
  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port) + path;
  }
};

}  // namespace

TEST_CASE("PocoHttpTransport: real TLS with a private CA", "[poco_http_transport]") {
  SslInitializer ssl;
  Pki pki;
  TlsServer server(pki);
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  PocoHttpTransport transport(Poco::Logger::get("test"), watch);
  TransportOptions options;
  options.caFile = pki / "ca.pem";
  options.profile = "work";

  SECTION("trusted through ca_file: the request arrives with its headers, the session is reused") {
    HttpRequest request;
    request.url = server.url("/v1/sites?limit=100&offset=0");
    request.authorization = Secret("ApiKey canary-key");
    auto first = transport.send(request, options);
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(first->body == R"({"uri":"/v1/sites?limit=100&offset=0"})");
    CHECK(first->header("content-type") == "application/json");

    HttpRequest post;
    post.method = "POST";
    post.url = server.url("/v1/installs");
    post.body = R"({"name":"x"})";
    post.contentType = "application/json";
    auto second = transport.send(post, options);
    REQUIRE(second);
    std::lock_guard lock(server.seen.mutex);
    REQUIRE(server.seen.authorization.size() == 2);
    CHECK(server.seen.authorization[0] == "ApiKey canary-key");
    CHECK(server.seen.authorization[1].empty());
    CHECK(server.seen.userAgent[0].rfind("wped/", 0) == 0);
    CHECK(server.seen.accept[0] == "application/json");
    CHECK(server.seen.bodies[1] == R"({"name":"x"})");
    CHECK(server.seen.clientPorts[0] == server.seen.clientPorts[1]);  // one kept-alive connection
  }

  SECTION("a certificate from another CA is refused naming the ca_file that was used") {
    options.caFile = pki / "other.pem";
    HttpRequest request;
    request.url = server.url("/v1/sites");
    auto outcome = transport.sendWithPhase(request, options);
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.failedPhase == SendPhase::NotSent);
    const Error& e = outcome.result.error();
    CHECK(e.code == ErrorCode::UpstreamUnreachable);
    CHECK_THAT(e.message, Catch::StartsWith("TLS certificate verification failed for 127.0.0.1 "
                                            "against the CA file " +
                                            (pki / "other.pem") + " (ca_file of profile work): "));
    CHECK_THAT(e.message, Catch::Contains("certificate verify failed"));
    CHECK_THAT(e.message, Catch::EndsWith("run `wpectl reload`"));
    CHECK_THAT(e.message, !Catch::Contains("set ca_file"));
    std::lock_guard lock(server.seen.mutex);
    CHECK(server.seen.authorization.empty());  // nothing reached the handler
  }

  SECTION("a ca_file replaced in place is read again after reloadTrust(), not before") {
    const std::string live = pki / "live.pem";
    run("cp " + (pki / "other.pem") + " " + live);
    options.caFile = live;
    HttpRequest request;
    request.url = server.url("/v1/sites");
    REQUIRE_FALSE(transport.send(request, options));
    run("cp " + (pki / "ca.pem") + " " + live);  // onto the file: same path and inode
    transport.reloadTrust();
    auto r = transport.send(request, options);
    REQUIRE(r);
    CHECK(r->status == 200);
  }

  SECTION("after reloadTrust() no connection made with the old CA file is reused") {
    const std::string live = pki / "live.pem";
    run("cp " + (pki / "ca.pem") + " " + live);
    options.caFile = live;
    HttpRequest request;
    request.url = server.url("/v1/sites");
    REQUIRE(transport.send(request, options));  // leaves a kept-alive connection in the pool
    run("cp " + (pki / "other.pem") + " " + live);
    transport.reloadTrust();
    auto r = transport.send(request, options);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("against the CA file " + live));
    std::lock_guard lock(server.seen.mutex);
    CHECK(server.seen.authorization.size() == 1);  // the second request never reached it
  }

  SECTION("an unreadable ca_file is named") {
    options.caFile = pki / "missing.pem";
    HttpRequest request;
    request.url = server.url("/v1/sites");
    auto r = transport.send(request, options);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::StartsWith("cannot use ca_file " + (pki / "missing.pem")));
  }

  SECTION("the system store does not trust a private CA") {
    options.caFile.clear();
    HttpRequest request;
    request.url = server.url("/v1/sites");
    auto r = transport.send(request, options);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::StartsWith("TLS certificate verification failed"));
    CHECK_THAT(r.error().message,
               Catch::EndsWith("set ca_file in [profile.work] and run `wpectl reload`"));
  }

  SECTION("a body above the cap is an error") {
    options.maxBodyBytes = 1000;
    HttpRequest request;
    request.url = server.url("/big");
    auto r = transport.send(request, options);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::UpstreamError);
    CHECK_THAT(r.error().message, Catch::EndsWith("is larger than 1000 bytes"));
  }

  SECTION("a server that does not answer in time → read timeout naming host:port") {
    options.readTimeout = std::chrono::milliseconds(300);
    HttpRequest request;
    request.url = server.url("/slow");
    auto outcome = transport.sendWithPhase(request, options);
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.failedPhase == SendPhase::MaybeSent);
    CHECK(outcome.result.error().code == ErrorCode::UpstreamUnreachable);
    CHECK(outcome.result.error().message ==
          "127.0.0.1:" + std::to_string(server.port) + " did not answer within 300 ms");
  }

  SECTION("concurrent sends each get their own connection and all succeed") {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i) {
      threads.emplace_back([&, i] {
        HttpRequest request;
        request.url = server.url("/v1/sites/" + std::to_string(i));
        auto r = transport.send(request, options);
        if (r && r->body == R"({"uri":"/v1/sites/)" + std::to_string(i) + R"("})") ++ok;
      });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 6);
  }

  SECTION("redirects are returned, not followed") {
    HttpRequest request;
    request.url = server.url("/redirect");
    auto r = transport.send(request, options);
    REQUIRE(r);
    CHECK(r->status == 302);
    CHECK(r->header("Location") == "https://example.com/elsewhere");
    std::lock_guard lock(server.seen.mutex);
    CHECK(server.seen.authorization.size() == 1);
  }
}

TEST_CASE("PocoHttpTransport: plain http:// only to loopback", "[poco_http_transport]") {
  SslInitializer ssl;
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  PocoHttpTransport transport(Poco::Logger::get("test"), watch);
  HttpRequest request;
  request.url = "http://api.wpengineapi.com/v1/sites";
  request.authorization = Secret("ApiKey canary-key");
  auto outcome = transport.sendWithPhase(request, {});
  REQUIRE_FALSE(outcome.result);
  CHECK(outcome.failedPhase == SendPhase::NotSent);
  CHECK(outcome.result.error().code == ErrorCode::BadRequest);
  CHECK_THAT(outcome.result.error().message,
             Catch::StartsWith("refusing plain http:// to api.wpengineapi.com"));

  SECTION("loopback http:// is allowed; a closed port names host:port") {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto port = probe.address().port();
    probe.close();
    request.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/sites";
    auto r = transport.sendWithPhase(request, {});
    REQUIRE_FALSE(r.result);
    CHECK(r.failedPhase == SendPhase::NotSent);
    CHECK(r.result.error().code == ErrorCode::UpstreamUnreachable);
    CHECK(r.result.error().message ==
          "could not connect to 127.0.0.1:" + std::to_string(port) + ": connection refused");
  }
}

namespace {

// A loopback server that accepts and then misbehaves: drips "HTTP/1.1 200 OK…" one byte every
// 50 ms for ever, or sends nothing at all (a TLS client then waits for its ServerHello).
struct MisbehavingServer {
  enum class Kind { Drip, Silent };
  Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
  std::atomic<bool> done{false};
  std::thread thread;

  explicit MisbehavingServer(Kind kind) {
    thread = std::thread([this, kind] {
      try {
        Poco::Net::StreamSocket peer = listener.acceptConnection();
        const std::string status = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
        for (std::size_t i = 0; !done; ++i) {
          if (kind == Kind::Drip) peer.sendBytes(&status[i % status.size()], 1);
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      } catch (const Poco::Exception&) {
        // the client cut the connection: what the test wants
      }
    });
  }
  ~MisbehavingServer() {
    done = true;
    listener.close();
    thread.join();
  }
  std::string url(const std::string& scheme) const {
    return scheme + "://127.0.0.1:" + std::to_string(listener.address().port()) + "/v1/sites";
  }
};

}  // namespace

TEST_CASE("PocoHttpTransport: every exchange ends by its total deadline or at shutdown",
          "[poco_http_transport]") {
  SslInitializer ssl;
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  PocoHttpTransport transport(Poco::Logger::get("test"), watch);
  TransportOptions options;
  options.totalTimeout = std::chrono::milliseconds(500);  // the per-read timeout stays 30 s
  HttpRequest request;
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };

  SECTION("a server dripping a byte every 50 ms is cut at the deadline, named in the error") {
    MisbehavingServer server(MisbehavingServer::Kind::Drip);
    request.url = server.url("http");
    auto outcome = transport.sendWithPhase(request, options);
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.deadlinePassed);
    CHECK(outcome.result.error().code == ErrorCode::UpstreamUnreachable);
    CHECK_THAT(outcome.result.error().message,
               Catch::Contains("did not finish answering within 500 ms"));
    CHECK(elapsed() >= std::chrono::milliseconds(500));
    CHECK(elapsed() < std::chrono::seconds(3));
  }

  SECTION("a TLS handshake that never gets an answer is cut when wped stops") {
    MisbehavingServer server(MisbehavingServer::Kind::Silent);
    options.totalTimeout = std::chrono::seconds(60);
    request.url = server.url("https");
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      watch.cancelAll();
    });
    auto outcome = transport.sendWithPhase(request, options);
    stopper.join();
    REQUIRE_FALSE(outcome.result);
    CHECK_FALSE(outcome.deadlinePassed);
    CHECK(outcome.result.error().code == ErrorCode::Unavailable);
    CHECK_THAT(outcome.result.error().message, Catch::Contains("wped is stopping"));
    CHECK(elapsed() < std::chrono::seconds(3));

    SECTION("and later exchanges fail at once") {
      auto again = transport.sendWithPhase(request, options);
      REQUIRE_FALSE(again.result);
      CHECK(again.result.error().code == ErrorCode::Unavailable);
      CHECK(again.failedPhase == SendPhase::NotSent);
    }
  }
}

TEST_CASE("PocoHttpTransport: a host lookup that never answers ends by the deadline or at shutdown",
          "[poco_http_transport]") {
  SslInitializer ssl;
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  // A resolver that answers only when the test ends (as a DNS server that drops the queries
  // would, after its own timeout); its state is shared, since the lookup's thread outlives
  // the exchange that gave up on it.
  struct Gate {
    std::mutex mutex;
    std::condition_variable opened;
    bool open = false;
    std::atomic<int> lookups{0};
  };
  auto gate = std::make_shared<Gate>();
  auto resolver = [gate](const std::string&, std::uint16_t) -> Poco::Net::SocketAddress {
    ++gate->lookups;
    std::unique_lock<std::mutex> lock(gate->mutex);
    gate->opened.wait(lock, [&] { return gate->open; });
    throw Poco::Net::HostNotFoundException("no answer");
  };
  struct OpenAtEnd {
    std::shared_ptr<Gate> gate;
    ~OpenAtEnd() {
      {
        std::lock_guard<std::mutex> lock(gate->mutex);
        gate->open = true;
      }
      gate->opened.notify_all();
    }
  } openAtEnd{gate};
  PocoHttpTransport transport(Poco::Logger::get("test"), watch, 4, resolver);
  TransportOptions options;
  HttpRequest request;
  request.url = "https://api.dns-hangs.example.test/v1/user";
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };

  SECTION("at the deadline, saying it was the lookup") {
    options.totalTimeout = std::chrono::milliseconds(400);
    auto outcome = transport.sendWithPhase(request, options);
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.deadlinePassed);
    CHECK(outcome.failedPhase == SendPhase::NotSent);
    CHECK(outcome.result.error().code == ErrorCode::UpstreamUnreachable);
    CHECK_THAT(outcome.result.error().message,
               Catch::Contains("looking up api.dns-hangs.example.test took longer than 400 ms") &&
                   Catch::Contains("DNS"));
    CHECK(elapsed() >= std::chrono::milliseconds(400));
    CHECK(elapsed() < std::chrono::seconds(3));
    CHECK(gate->lookups == 1);
  }

  SECTION("when wped stops") {
    options.totalTimeout = std::chrono::seconds(60);
    std::thread stopper([&] {
      while (gate->lookups == 0) std::this_thread::yield();  // the lookup is under way
      watch.cancelAll();
    });
    auto outcome = transport.sendWithPhase(request, options);
    stopper.join();
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.result.error().code == ErrorCode::Unavailable);
    CHECK_THAT(outcome.result.error().message, Catch::Contains("wped is stopping"));
    CHECK(elapsed() < std::chrono::seconds(3));
  }
}

TEST_CASE("PocoHttpTransport: a name that does not resolve says so, at once",
          "[poco_http_transport]") {
  SslInitializer ssl;
  SystemClock clock;
  DeadlineWatch watch(clock);
  watch.start();
  PocoHttpTransport transport(
      Poco::Logger::get("test"), watch, 4,
      [](const std::string& host, std::uint16_t) -> Poco::Net::SocketAddress {
        throw Poco::Net::HostNotFoundException(host);
      });
  HttpRequest request;
  request.url = "https://api.no-such-host.example.test/v1/user";
  auto outcome = transport.sendWithPhase(request, TransportOptions{});
  REQUIRE_FALSE(outcome.result);
  CHECK_FALSE(outcome.deadlinePassed);
  CHECK(outcome.result.error().code == ErrorCode::UpstreamUnreachable);
  CHECK_THAT(outcome.result.error().message,
             Catch::Contains("could not resolve api.no-such-host.example.test"));
}
