#pragma once
// CliContext: what every wpectl command gets: the global options, the output streams and a
// connection to wped. Helpers turn answers and failures into wpectl's output conventions
// (docs/interface.md "wpectl"): --json prints exactly one JSON document on stdout; diagnostics are
// one line on stderr starting "wpectl: "; exit codes from ctl/exit_codes.h.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/unix_http_client.h"
#include "ctl/exit_codes.h"
#include "ctl/output.h"

namespace wpe::ctl {

struct GlobalOptions {
  std::string socketPath;  // resolved (--socket, WPED_SOCKET, XDG_RUNTIME_DIR)
  std::string profile = "default";
  std::string profileSource = "default";  // which rule chose it (ProfileChoice::source)
  bool json = false;
};

class CliContext {
 public:
  CliContext(GlobalOptions options, Output& out, Output& err)
      : options_(std::move(options)), out_(out), err_(err) {}

  const GlobalOptions& options() const { return options_; }
  Output& out() { return out_; }
  Output& err() { return err_; }

  // How long call() waits for an answer (default 30 s). Long waits (a first sync, a login
  // poll) raise it; changing it drops a kept-alive connection.
  void setTimeout(std::chrono::milliseconds timeout);

  // One request to wped. Failure: nothing answered (or the answer broke); see fail().
  // With a `sink`, a successful answer's body goes to it as it arrives (common/
  // unix_http_client.h, BodySink) and HttpReply::body stays empty.
  Result<HttpReply> call(std::string_view method, std::string_view target,
                         std::string_view body = {}, const BodySink& sink = {});

  // Prints "wpectl: MESSAGE" (through escapeForTerminal, KeepLines) and returns `code`.
  int fail(ExitCode code, const std::string& message);
  // A transport failure: exit 3 with the "is wped running?" hint, or 1 for a broken answer.
  int failTransport(const Error& error);
  // An HTTP error answer from wped: its message on stderr, its document on stdout with
  // --json, the exit code its error code maps to.
  int failReply(const HttpReply& reply);
  // Success with --json: the daemon's document, verbatim, on stdout.
  int printJson(const HttpReply& reply);

  // The usual shape of a simple command: call, then on success either print the JSON or hand
  // the reply to `human`. Returns the exit code.
  template <typename Human>
  int run(std::string_view method, std::string_view target, std::string_view body, Human&& human) {
    auto reply = call(method, target, body);
    if (!reply) return failTransport(reply.error());
    if (reply->status >= 400) return failReply(reply.value());
    if (options_.json) return printJson(reply.value());
    return human(reply.value());
  }

 private:
  GlobalOptions options_;
  Output& out_;
  Output& err_;
  std::chrono::milliseconds timeout_ = std::chrono::seconds(30);
  std::unique_ptr<UnixHttpClient> client_;
};

}  // namespace wpe::ctl
