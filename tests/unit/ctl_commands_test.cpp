#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "ctl/cli.h"
#include "ctl/exit_codes.h"
#include "temp_dir.h"
#include "unix_listen.h"

using namespace wpe;

namespace {

// A stand-in for wped on a Unix socket: answers each request from a table keyed by
// "METHOD TARGET" (404 otherwise) and records what it was sent.
class FakeWped {
 public:
  struct Answer {
    int status;
    std::string body;
  };

  FakeWped() : path_(dir_ / "wped.sock") {
    listen_ = testing::listenUnix(path_, 8);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeWped() {
    ::shutdown(listen_, SHUT_RDWR);
    ::close(listen_);
    thread_.join();
  }

  void answer(const std::string& request, int status, std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    answers_[request] = {status, std::move(body)};
  }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::string lastBody() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lastBody_;
  }
  const std::string& path() const { return path_; }

 private:
  void serve() {
    for (;;) {
      int fd = ::accept(listen_, nullptr, nullptr);
      if (fd < 0) return;
      std::string in;
      char chunk[4096];
      for (;;) {
        auto end = in.find("\r\n\r\n");
        if (end != std::string::npos) {
          std::size_t length = 0;
          auto at = in.find("Content-Length: ");
          if (at != std::string::npos && at < end) length = std::stoul(in.substr(at + 16));
          if (in.size() >= end + 4 + length) {
            respond(fd, in.substr(0, in.find(" HTTP/1.1")), in.substr(end + 4, length));
            in.erase(0, end + 4 + length);
            continue;
          }
        }
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        in.append(chunk, static_cast<std::size_t>(n));
      }
      ::close(fd);
    }
  }
  void respond(int fd, const std::string& requestLine, const std::string& body) {
    Answer a{404, R"({"error":{"code":"not_found","message":"no such route"}})"};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(requestLine);
      lastBody_ = body;
      if (auto it = answers_.find(requestLine); it != answers_.end()) a = it->second;
    }
    std::string out = "HTTP/1.1 " + std::to_string(a.status) +
                      " X\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      std::to_string(a.body.size()) + "\r\n\r\n" + a.body;
    ssize_t ignored = ::write(fd, out.data(), out.size());
    (void)ignored;
  }

  testing::TempDir dir_;
  std::string path_;
  int listen_ = -1;
  std::mutex mutex_;
  std::map<std::string, Answer> answers_;
  std::vector<std::string> requests_;
  std::string lastBody_;
  std::thread thread_;
};

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args,
        const std::string& socket = "/nonexistent/wped-test/wped.sock") {
  EnvLookup env = [socket](const char* name) -> std::optional<std::string> {
    if (std::string(name) == "WPED_SOCKET") return socket;
    return std::nullopt;
  };
  ctl::Output out, err;
  int code = ctl::runCli(args, env, out, err);
  return {code, out.text(), err.text()};
}

void checkUsage(std::vector<std::string> args, const std::string& mention) {
  auto r = run(args);
  INFO(r.err);
  CHECK(r.code == ctl::kExitUsage);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("wpectl: ", 0) == 0);
  CHECK_THAT(r.err, Catch::Contains(mention));
}

}  // namespace

TEST_CASE("wpectl profile commands: a bad command line exits 2 before contacting wped",
          "[ctl][args]") {
  checkUsage({"login", "--api-key", "--basic"}, "choose one");
  checkUsage({"login", "--api-key", "secret-on-argv"}, "unexpected argument");
  checkUsage({"login", "--api-key", "--no-browser"}, "--oauth only");
  checkUsage({"login", "--oauth", "--user", "u"}, "--basic only");
  checkUsage({"login", "--basic", "--user"}, "--user needs a value");
  checkUsage({"login", "--password=x"}, "unknown option");
  checkUsage({"logout", "now"}, "unexpected argument");
  checkUsage({"token", "--min-valid"}, "needs a value");
  checkUsage({"token", "--min-valid", "abc"}, "--min-valid");
  checkUsage({"token", "--min-valid=99999999"}, "--min-valid");
  checkUsage({"token", "--header", "--header"}, "given twice");
  checkUsage({"sites", "--refreshh"}, "unknown option");
  checkUsage({"installs", "x"}, "unexpected argument");
  checkUsage({"site"}, "ID-or-NAME");
  checkUsage({"site", "a", "b"}, "unexpected argument");
  checkUsage({"api"}, "PATH");
  checkUsage({"api", "/sites", "-X"}, "needs a value");
  checkUsage({"api", "-X", "G T", "/sites"}, "-X");
  checkUsage({"api", "https://api.wpengineapi.com/v1/sites"}, "not a URL");
  checkUsage({"api", "/sites", "--data", "@/nonexistent/body.json"},
             "cannot read --data file /nonexistent/body.json");
}

TEST_CASE("wpectl commands: with nothing listening on the socket they exit 3", "[ctl][args]") {
  CHECK(run({"token"}).code == ctl::kExitUnreachable);
  CHECK(run({"sites"}).code == ctl::kExitUnreachable);
  CHECK(run({"api", "/user"}).code == ctl::kExitUnreachable);
}

TEST_CASE("wpectl token: prints the token, the header value or the document; one request",
          "[ctl][token]") {
  FakeWped wped;
  std::string doc =
      R"({"access_token":"tok-1","token_type":"Bearer","expires_at":"2026-11-28T10:00:00Z","authorization":"Bearer tok-1"})";
  wped.answer("GET /v1/profiles/default/token", 200, doc);
  wped.answer("GET /v1/profiles/work/token?min_valid=300", 200, doc);
  CHECK(run({"token"}, wped.path()).out == "tok-1\n");
  CHECK(run({"token", "--header"}, wped.path()).out == "Bearer tok-1\n");
  CHECK(run({"--json", "token"}, wped.path()).out == doc + "\n");
  CHECK(run({"token", "--profile", "work", "--min-valid", "300"}, wped.path()).out == "tok-1\n");
  CHECK(wped.requests().size() == 4);
}

TEST_CASE("wpectl token: never prints a token or header with CR, LF or NUL",
          "[ctl][token][credential_text]") {
  // A daemon that lets one through (an older wped) must not make `--header` several lines.
  FakeWped wped;
  wped.answer(
      "GET /v1/profiles/default/token", 200,
      R"({"access_token":"hidden\r\nX-Injected: yes","token_type":"Bearer",)"
      R"("expires_at":"2026-11-28T10:00:00Z","authorization":"Bearer hidden\r\nX-Injected: yes"})");
  for (const char* format : {"header", "bearer"}) {
    INFO(format);
    auto r = run({"token", "--format", format}, wped.path());
    CHECK(r.code == ctl::kExitError);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("control character") && Catch::Contains("wpectl login") &&
                          !Catch::Contains("hidden") && !Catch::Contains("X-Injected"));
  }
}

TEST_CASE("wpectl token: a logged-out profile exits 4 with the daemon's hint", "[ctl][token]") {
  FakeWped wped;
  wped.answer(
      "GET /v1/profiles/default/token", 401,
      R"({"error":{"code":"login_required","message":"profile default has no credential; run `wpectl login`"}})");
  auto r = run({"token"}, wped.path());
  CHECK(r.code == ctl::kExitLoginRequired);
  CHECK(r.out.empty());
  CHECK(r.err == "wpectl: profile default has no credential; run `wpectl login`\n");
}

TEST_CASE("wpectl sites: --json copies the daemon's body; human output is a table and a footer",
          "[ctl][sites]") {
  FakeWped wped;
  std::string body =
      R"({"synced_at":"2020-01-01T00:00:00Z","stale":false,"syncing":false,"last_error":null,"count":1,)"
      R"("results":[{"id":"s1","name":"blog","account":{"id":"a1"},"installs":[]}]})";
  wped.answer("GET /v1/profiles/default/sites?refresh=1", 200, body);
  wped.answer("GET /v1/profiles/default/sites", 200, body);
  wped.answer("GET /v1/profiles/default/accounts", 200,
              R"({"results":[{"id":"a1","name":"acme"}]})");
  auto json = run({"sites", "--refresh", "--json"}, wped.path());
  CHECK(json.code == 0);
  CHECK(json.out == body + "\n");
  CHECK(json.err.empty());
  auto human = run({"sites"}, wped.path());
  CHECK(human.code == 0);
  CHECK(human.out == "NAME  ID  ACCOUNT  INSTALLS\nblog  s1  acme\n");
  CHECK_THAT(human.err, Catch::StartsWith("1 site, synced ") && Catch::EndsWith("days ago\n"));
}

TEST_CASE("wpectl site: looks up a url-encoded name", "[ctl][sites]") {
  FakeWped wped;
  wped.answer("GET /v1/profiles/default/sites/my%20blog", 200,
              R"({"id":"s1","name":"my blog","installs":[]})");
  auto r = run({"site", "my blog"}, wped.path());
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("my blog\n  id:       s1\n"));
  CHECK(run({"site", "other"}, wped.path()).code == ctl::kExitError);
}

TEST_CASE("wpectl api: forwards method, path and body and prints the answer", "[ctl][api]") {
  FakeWped wped;
  wped.answer("GET /v1/profiles/default/api/sites?limit=1", 200, R"({"results":[]})");
  wped.answer("POST /v1/profiles/default/api/sites", 201, R"({"id":"new"})");
  wped.answer("DELETE /v1/profiles/default/api/sites/x", 404, R"({"message":"Not Found"})");
  wped.answer(
      "GET /v1/profiles/default/api/user", 502,
      R"({"error":{"code":"upstream_unreachable","message":"cannot reach the WP Engine API"}})");
  auto get = run({"api", "/sites?limit=1"}, wped.path());
  CHECK(get.code == 0);
  CHECK(get.out == "{\"results\":[]}\n");
  auto post = run({"api", "sites", "--data", R"({"name":"n"})"}, wped.path());
  CHECK(post.code == 0);
  CHECK(wped.lastBody() == R"({"name":"n"})");
  auto missing = run({"api", "-X", "delete", "/sites/x"}, wped.path());
  CHECK(missing.code == ctl::kExitError);
  CHECK(missing.out == "{\"message\":\"Not Found\"}\n");
  CHECK(missing.err == "wpectl: HTTP 404 from the WP Engine API\n");
  auto down = run({"api", "/user"}, wped.path());
  CHECK(down.code == ctl::kExitError);
  CHECK(down.out.empty());
  CHECK(down.err == "wpectl: cannot reach the WP Engine API\n");
}

TEST_CASE("wpectl logout: names the profile", "[ctl][login]") {
  FakeWped wped;
  wped.answer("POST /v1/profiles/work/logout", 200, R"({"profile":"work","state":"logged_out"})");
  auto r = run({"logout", "--profile", "work"}, wped.path());
  CHECK(r.code == 0);
  CHECK(r.out == "Logged out of profile work\n");
}

TEST_CASE("wpectl login: OAuth prints the URL, polls until done and says who logged in",
          "[ctl][login]") {
  FakeWped wped;
  wped.answer(
      "POST /v1/profiles/default/login", 202,
      R"({"login_id":"L1","authorize_url":"https://auth.example/authorize?x=1","expires_at":"2026-11-28T10:00:00Z"})");
  wped.answer("GET /v1/status", 200, R"({"profiles":[]})");
  // With --no-browser wpectl also watches its stdin for a pasted address (polls with wait=0
  // while stdin is open, long-polls once it has ended).
  for (const char* wait : {"0", "30"}) {
    wped.answer(std::string("GET /v1/logins/L1?wait=") + wait, 200,
                R"({"login_id":"L1","profile":"default","state":"succeeded","error":null})");
  }
  wped.answer("GET /v1/profiles/default/api/user", 200,
              R"({"email":"ada@example.com","first_name":"Ada","last_name":"L"})");
  auto r = run({"login", "--oauth", "--no-browser"}, wped.path());
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("Open this URL in a browser to log in:\n  "
                                    "https://auth.example/authorize?x=1"));
  CHECK(r.out == "Logged in to profile default as ada@example.com (Ada L)\n");

  for (const char* wait : {"0", "30"}) {
    wped.answer(
        std::string("GET /v1/logins/L1?wait=") + wait, 200,
        R"({"login_id":"L1","profile":"default","state":"failed","error":{"code":"login_required","message":"access denied"}})");
  }
  auto denied = run({"--json", "login", "--oauth", "--no-browser"}, wped.path());
  CHECK(denied.code == ctl::kExitLoginRequired);
  CHECK_THAT(denied.out, Catch::StartsWith("{\"login_id\":\"L1\"") && Catch::Contains("failed"));
  CHECK_THAT(denied.err, Catch::EndsWith("wpectl: access denied\n"));
}

TEST_CASE("wpectl login: --api-key sends the piped key to wped and never prints it",
          "[ctl][login]") {
  FakeWped wped;
  wped.answer("GET /v1/status", 200, R"({"profiles":[]})");
  wped.answer(
      "POST /v1/profiles/default/login", 200,
      R"({"profile":"default","state":"ready","credential":"api_key","user":{"email":"ada@example.com","first_name":"Ada","last_name":"L"}})");
  // wpectl reads the secret from fd 0: put a pipe there for the duration of the run.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string key = "canary-key-0123\n";
  REQUIRE(::write(fds[1], key.data(), key.size()) == static_cast<ssize_t>(key.size()));
  ::close(fds[1]);
  int savedStdin = ::dup(0);
  ::dup2(fds[0], 0);
  ::close(fds[0]);
  auto r = run({"login", "--api-key"}, wped.path());
  ::dup2(savedStdin, 0);
  ::close(savedStdin);
  CHECK(r.code == 0);
  CHECK(r.out == "Logged in to profile default as ada@example.com (Ada L)\n");
  CHECK(wped.lastBody() == R"({"api_key":"canary-key-0123","method":"api_key"})");
  CHECK(r.out.find("canary") == std::string::npos);
  CHECK(r.err.find("canary") == std::string::npos);
}
