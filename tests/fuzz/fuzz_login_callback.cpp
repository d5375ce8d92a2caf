// The OAuth login callback: the query the browser brings to the loopback listener
// (LoginSession::handleCallback, daemon/auth/loopback_listener's handler), the address a user
// pastes for a headless login (LoginSession::completeWithAddress) and the local API body that
// carries it (common/login_callback_wire). The input's "@STATE@" is replaced by the pending
// login's real state and "@REDIRECT@" by its redirect URI, so the fuzzer reaches the code
// exchange (answered by a fake token endpoint). Invariants: never throws; every reply has a
// status and a page; no error about a pasted address repeats the state; the wire body
// round-trips.
#include <Poco/URI.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/login_callback_wire.h"
#include "daemon/auth/login_session.h"
#include "daemon/auth/oauth_client.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/unit/fakes.h"
#include "tests/unit/quiet_logger.h"

namespace {

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

wpe::ProfileConfig profile() {
  wpe::ProfileConfig p;
  p.name = "fuzz";
  p.auth = wpe::AuthKind::OAuth;
  p.authorizeUrl = "https://auth.example/oauth/authorize";
  p.tokenUrl = "https://auth.example/oauth/token";
  p.clientId = "cli";
  return p;
}

// One started login at a time; a new one once the last is no longer pending.
struct Logins {
  Logins() {
    transport.setHandler([](const wpe::HttpRequest&) {
      return wpe::Result<wpe::HttpResponse>(wpe::testing::FakeTransport::json(
          200, R"({"access_token":"fuzz-access-token","token_type":"Bearer","expires_in":60})"));
    });
  }
  wpe::LoginSession& current() {
    if (!session || session->state().state != wpe::LoginState::Pending) {
      session = std::make_unique<wpe::LoginSession>(
          profile(), client, clock, wpe::test::quietLogger(), std::nullopt,
          [](const wpe::OAuthGrant&) { return wpe::Status(); });
      FUZZ_CHECK(session->start().ok(), "a login session does not start");
      const std::string& url = session->authorizeUrl();
      const auto at = url.find("&state=");
      FUZZ_CHECK(at != std::string::npos, "no state in the authorize URL");
      const auto end = url.find('&', at + 1);
      Poco::URI::decode(url.substr(at + 7, end == std::string::npos ? end : end - at - 7), state);
    }
    return *session;
  }

  wpe::testing::FakeClock clock;
  wpe::testing::FakeTransport transport;
  wpe::OAuthClient client{profile(), transport, {}, clock};
  std::unique_ptr<wpe::LoginSession> session;
  std::string state;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(wpe::fuzz::bytes(data, size));

  auto wire = wpe::loginCallbackFromJson(input);
  if (wire) {
    auto again = wpe::loginCallbackFromJson(wpe::loginCallbackToJson(*wire));
    FUZZ_CHECK(again.ok() && again->url == wire->url, "the callback body does not round-trip");
  }

  static Logins* logins = new Logins;  // for the process: listeners are not free to start
  wpe::LoginSession& session = logins->current();
  const std::string state = logins->state;
  std::string text = replaceAll(input, "@STATE@", state);
  text = replaceAll(text, "@REDIRECT@", session.redirectUri());
  const bool paste = !text.empty() && (text[0] == 'h' || text[0] == ' ');
  if (paste) {
    auto status = session.completeWithAddress(wpe::Secret(text));
    if (!status) {
      FUZZ_CHECK(!wpe::fuzz::leaks(status.error().message, state), "the state in an error");
    }
  } else {
    const auto q = text.find('?');
    const std::string path = q == std::string::npos ? text : text.substr(0, q);
    const std::string query = q == std::string::npos ? "" : text.substr(q + 1);
    const wpe::LoopbackReply reply = session.handleCallback(path, query);
    FUZZ_CHECK(reply.status >= 200 && reply.status < 600, "a reply without a status");
    FUZZ_CHECK(!reply.html.empty(), "a reply without a page");
  }
  return 0;
}
