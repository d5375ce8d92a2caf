#include "daemon/auth/login_session.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <sstream>

#include "daemon/auth/login_registry.h"
#include "daemon/auth/oauth_client.h"
#include "tests/unit/auth_test_support.h"
#include "tests/unit/fakes.h"

using namespace std::chrono_literals;
using wpe::LoginSession;
using wpe::LoginState;
using wpe::testing::FakeClock;
using wpe::testing::FakeTransport;

namespace {

struct Reply {
  int status = 0;
  std::string body;
  std::string cacheControl;
  std::string contentType;
};

Reply get(std::uint16_t port, const std::string& target) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply r;
  r.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, r.body);
  r.cacheControl = response.get("Cache-Control", "");
  r.contentType = response.getContentType();
  return r;
}

bool connectRefused(std::uint16_t port) {
  try {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(2, 0));
    return false;
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return true;
  }
}

// The local address of the listening TCP socket on `port`, from /proc/net/tcp (hex, as the
// kernel prints it: 0100007F is 127.0.0.1).
std::vector<std::string> listeningAddresses(std::uint16_t port) {
  std::vector<std::string> out;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      const auto colon = local.rfind(':');
      if (state == "0A" && std::stoul(local.substr(colon + 1), nullptr, 16) == port) {
        out.push_back(local.substr(0, colon));
      }
    }
  }
  return out;
}

std::string queryParam(const std::string& url, const std::string& name) {
  for (const auto& [k, v] : Poco::URI(url).getQueryParameters()) {
    if (k == name) return v;
  }
  return "";
}

struct Fixture {
  FakeClock clock;
  FakeTransport transport;
  Poco::AutoPtr<wpe::testing::RecordingChannel> channel;
  Poco::Logger& logger = wpe::testing::recordingLogger(channel);
  wpe::OAuthClient client{profile(), transport, {}, clock};
  std::atomic<int> completions{0};
  std::optional<wpe::OAuthGrant> completed;
  std::mutex mutex;

  static wpe::ProfileConfig profile() {
    wpe::ProfileConfig p;
    p.name = "work";
    p.auth = wpe::AuthKind::OAuth;
    p.authorizeUrl = "https://auth.example/oauth/authorize";
    p.tokenUrl = "https://auth.example/oauth/token";
    p.clientId = "cli";
    p.scope = "sites:read sites:write";
    return p;
  }
  std::unique_ptr<LoginSession> makeSession(std::chrono::milliseconds timeout = 300s) {
    return std::make_unique<LoginSession>(
        profile(), client, clock, logger, std::nullopt,
        [this](const wpe::OAuthGrant& g) {
          std::lock_guard lock(mutex);
          ++completions;
          completed = g;
          return wpe::Status();
        },
        timeout);
  }
};

}  // namespace

TEST_CASE("LoginSession: authorize URL and listener on 127.0.0.1", "[login_session]") {
  Fixture f;
  auto session = f.makeSession();
  REQUIRE(session->start());
  const std::uint16_t port = session->port();
  REQUIRE(port != 0);
  const std::string& url = session->authorizeUrl();
  REQUIRE(url.rfind("https://auth.example/oauth/authorize?response_type=code&client_id=cli&"
                    "redirect_uri=http%3A%2F%2F127.0.0.1%3A" +
                        std::to_string(port) +
                        "%2Fcallback&scope=sites%3Aread%20sites%3Awrite&state=",
                    0) == 0);
  REQUIRE(url.find("&code_challenge_method=S256") != std::string::npos);
  REQUIRE(queryParam(url, "state").size() >= 22);
  REQUIRE(queryParam(url, "code_challenge").size() == 43);
  REQUIRE(session->redirectUri() == "http://127.0.0.1:" + std::to_string(port) + "/callback");
  REQUIRE(listeningAddresses(port) == std::vector<std::string>{"0100007F"});
  REQUIRE(session->state().state == LoginState::Pending);
}

TEST_CASE("LoginSession: the authorize endpoint's own path and query are kept", "[login_session]") {
  // RFC 6749 §3.1: the request parameters are added to the endpoint's query with '&'.
  struct Case {
    std::string endpoint, prefix;
  };
  for (const Case& c :
       {Case{"https://auth.example/o/authorize/", "https://auth.example/o/authorize/?"},
        Case{"https://auth.example/o/authorize/?tenant=wpe",
             "https://auth.example/o/authorize/?tenant=wpe&"},
        Case{"https://auth.example/o/authorize/?", "https://auth.example/o/authorize/?"},
        Case{"https://auth.example/a?tenant=wpe&", "https://auth.example/a?tenant=wpe&"}}) {
    Fixture f;
    wpe::ProfileConfig p = Fixture::profile();
    p.authorizeUrl = c.endpoint;
    LoginSession session(
        p, f.client, f.clock, f.logger, std::nullopt,
        [](const wpe::OAuthGrant&) { return wpe::Status(); }, 300s);
    REQUIRE(session.start());
    const std::string& url = session.authorizeUrl();
    INFO(url);
    CHECK(url.rfind(c.prefix + "response_type=code&client_id=cli&", 0) == 0);
    CHECK(url.find("?&") == std::string::npos);
    CHECK(url.find("&&") == std::string::npos);
    CHECK(std::count(url.begin(), url.end(), '?') == 1);
    CHECK(queryParam(url, "code_challenge").size() == 43);
    session.cancel("test over");
  }
}

TEST_CASE("LoginSession: bad callbacks send no token request and keep the login pending",
          "[login_session]") {
  Fixture f;
  auto session = f.makeSession();
  REQUIRE(session->start());
  const auto port = session->port();
  const std::string state = queryParam(session->authorizeUrl(), "state");

  auto favicon = get(port, "/favicon.ico");
  REQUIRE(favicon.status == 404);
  REQUIRE(get(port, "/callback/x?code=c&state=" + state).status == 404);
  REQUIRE(get(port, "/callback?code=canary-code").status == 400);
  auto wrong = get(port, "/callback?code=canary-code&state=WRONG" + state);
  REQUIRE(wrong.status == 400);
  REQUIRE(wrong.cacheControl == "no-store");
  REQUIRE(wrong.contentType == "text/html; charset=utf-8");
  REQUIRE(get(port, "/callback?code=c&state=" + state + "&state=" + state).status == 400);
  // A malformed %-escape is a bad callback too, not an internal error (found by
  // tests/fuzz/fuzz_login_callback); the same through a pasted address.
  REQUIRE(get(port, "/callback?code=c%zz&state=" + state).status == 400);
  REQUIRE(session->handleCallback("/callback", "state=" + state + "&code=%\x1f").status == 400);
  auto pasted = session->completeWithAddress(
      wpe::Secret(session->redirectUri() + "?code=%&state=" + state));
  REQUIRE(!pasted);
  REQUIRE(pasted.error().code == wpe::ErrorCode::BadRequest);
  REQUIRE(f.transport.requestCount() == 0);
  REQUIRE(session->state().state == LoginState::Pending);
  REQUIRE(f.completions == 0);
  const std::string log = f.channel->all();
  REQUIRE(log.find("received on /callback") != std::string::npos);
  REQUIRE(log.find("canary-code") == std::string::npos);
  REQUIRE(log.find(state) == std::string::npos);
}

TEST_CASE("LoginSession: access_denied fails the login with the text escaped", "[login_session]") {
  Fixture f;
  auto session = f.makeSession();
  REQUIRE(session->start());
  const auto port = session->port();
  const std::string state = queryParam(session->authorizeUrl(), "state");
  auto r =
      get(port,
          "/callback?error=access_denied&error_description=%1B%5B31mno%3Cscript%3E&state=" + state);
  REQUIRE(r.body.find("<script>") == std::string::npos);
  auto status = session->waitFor(10s);
  REQUIRE(status.state == LoginState::Failed);
  REQUIRE(status.error->message.find("access_denied") != std::string::npos);
  REQUIRE(status.error->message.find('\x1b') == std::string::npos);
  REQUIRE(f.transport.requestCount() == 0);
  REQUIRE(f.completions == 0);
  REQUIRE(connectRefused(port));
}

TEST_CASE("LoginSession: a valid callback exchanges the code once and completes",
          "[login_session]") {
  Fixture f;
  std::promise<void> release;
  auto released = release.get_future().share();
  f.transport.setHandler([released](const wpe::HttpRequest&) {
    released.wait();
    return wpe::Result<wpe::HttpResponse>(
        FakeTransport::json(200, wpe::testing::tokenBody("canary-AT", 600, "canary-RT")));
  });
  auto session = f.makeSession();
  REQUIRE(session->start());
  const auto port = session->port();
  const std::string state = queryParam(session->authorizeUrl(), "state");
  const std::string target = "/callback?code=canary-code&state=" + state;

  auto first = std::async(std::launch::async, [&] { return get(port, target); });
  while (f.transport.requestCount() == 0) std::this_thread::yield();
  auto replay = get(port, target);  // while the exchange is in flight
  REQUIRE(replay.status == 400);
  release.set_value();
  auto page = first.get();
  REQUIRE(page.status == 200);
  REQUIRE(page.cacheControl == "no-store");
  REQUIRE(page.contentType == "text/html; charset=utf-8");
  REQUIRE(page.body.find("close this tab") != std::string::npos);
  REQUIRE(page.body.find("http") == std::string::npos);  // no external resources

  REQUIRE(session->waitFor(10s).state == LoginState::Succeeded);
  REQUIRE(f.completions == 1);
  REQUIRE(f.completed->accessToken.reveal() == "canary-AT");
  REQUIRE(f.completed->refreshToken->reveal() == "canary-RT");
  REQUIRE(f.completed->expiresAt == f.clock.now() + 600s);
  REQUIRE(f.completed->scope == "sites:read sites:write");
  REQUIRE(f.transport.requestCount() == 1);
  const auto body = f.transport.requests().front().body;
  REQUIRE(body.find("code=canary-code") != std::string::npos);
  REQUIRE(body.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A" + std::to_string(port) +
                    "%2Fcallback&") != std::string::npos);
  const auto verifierAt = body.find("code_verifier=") + 14;
  const std::string verifier = body.substr(verifierAt, body.find('&', verifierAt) - verifierAt);
  REQUIRE(wpe::Pkce::challengeFor(wpe::Secret(verifier)) ==
          queryParam(session->authorizeUrl(), "code_challenge"));
  REQUIRE(connectRefused(port));
  REQUIRE(session->handleCallback("/callback", "code=canary-code&state=" + state).status == 400);
  REQUIRE(f.transport.requestCount() == 1);
  REQUIRE(f.channel->all().find("canary") == std::string::npos);
}

TEST_CASE("LoginSession: a failed exchange fails the login and stores nothing", "[login_session]") {
  Fixture f;
  auto session = f.makeSession();
  REQUIRE(session->start());
  const std::string state = queryParam(session->authorizeUrl(), "state");
  SECTION("invalid_grant") {
    f.transport.enqueue(FakeTransport::json(400, R"({"error":"invalid_grant"})"));
  }
  SECTION("HTML 502") {
    wpe::HttpResponse html;
    html.status = 502;
    html.body = "<html>bad gateway</html>";
    f.transport.enqueue(html);
  }
  SECTION("token_type mac") {
    f.transport.enqueue(FakeTransport::json(
        200, R"({"access_token":"canary-AT","token_type":"mac","expires_in":60})"));
  }
  SECTION("5 MB body") { f.transport.enqueue(FakeTransport::json(200, std::string(5 << 20, ' '))); }
  auto page = get(session->port(), "/callback?code=canary-code&state=" + state);
  auto status = session->waitFor(10s);
  REQUIRE(status.state == LoginState::Failed);
  REQUIRE(f.completions == 0);
  REQUIRE(f.transport.requestCount() == 1);  // never retried
  REQUIRE(status.error->message.find("canary") == std::string::npos);
  REQUIRE(page.body.find("canary") == std::string::npos);
}

TEST_CASE("LoginSession: times out and closes the listener", "[login_session]") {
  Fixture f;
  auto session = f.makeSession(300s);
  REQUIRE(session->start());
  const auto port = session->port();
  REQUIRE(session->waitFor(50ms).state == LoginState::Pending);
  f.clock.advance(300s);
  auto status = session->waitFor(10s);
  REQUIRE(status.state == LoginState::Failed);
  REQUIRE(status.error->code == wpe::ErrorCode::RequestTimeout);
  REQUIRE(connectRefused(port));
}

TEST_CASE("LoginRegistry: random ids, one pending login per profile, finished ones expire",
          "[login_session]") {
  Fixture f;
  wpe::LoginRegistry registry(f.clock, 600s);
  std::shared_ptr<LoginSession> first = f.makeSession();
  REQUIRE(first->start());
  auto a = registry.add(first);
  REQUIRE(a);
  REQUIRE(a->loginId.size() >= 22);
  REQUIRE(a->expiresAt == f.clock.now() + 300s);
  REQUIRE(registry.find(a->loginId) == first);
  REQUIRE(registry.find("nope") == nullptr);

  std::shared_ptr<LoginSession> second = f.makeSession();
  REQUIRE(second->start());
  auto b = registry.add(second);
  REQUIRE(b->loginId != a->loginId);
  REQUIRE(first->waitFor(10s).state == LoginState::Failed);  // superseded
  REQUIRE(second->state().state == LoginState::Pending);

  registry.sweep();
  f.clock.advance(599s);
  REQUIRE(registry.find(a->loginId) == first);
  f.clock.advance(1s);
  REQUIRE(registry.find(a->loginId) == nullptr);
  REQUIRE(registry.find(b->loginId) == second);
}

TEST_CASE("LoginSession: a confidential client keeps its secret in the grant, not the URL",
          "[login_session]") {
  Fixture f;
  f.transport.enqueue(FakeTransport::json(200, wpe::testing::tokenBody("canary-AT", 600)));
  std::optional<wpe::OAuthGrant> grant;
  LoginSession session(Fixture::profile(), f.client, f.clock, f.logger,
                       wpe::Secret("canary-client-secret"), [&](const wpe::OAuthGrant& g) {
                         grant = g;
                         return wpe::Status();
                       });
  REQUIRE(session.start());
  REQUIRE(session.authorizeUrl().find("canary") == std::string::npos);
  const std::string state = queryParam(session.authorizeUrl(), "state");
  REQUIRE(get(session.port(), "/callback?code=c0de&state=" + state).status == 200);
  REQUIRE(session.waitFor(10s).state == LoginState::Succeeded);
  REQUIRE(grant->clientSecret->reveal() == "canary-client-secret");
  const auto request = f.transport.requests().front();
  REQUIRE(request.authorization);
  REQUIRE(request.body.find("client_id") == std::string::npos);
  REQUIRE(request.body.find("code_verifier=") != std::string::npos);  // PKCE also with a secret
}
