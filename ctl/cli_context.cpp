#include "ctl/cli_context.h"

#include "common/terminal_escape.h"
#include "common/wire.h"

namespace wpe::ctl {

void CliContext::setTimeout(std::chrono::milliseconds timeout) {
  if (timeout == timeout_) return;
  timeout_ = timeout;
  client_.reset();
}

Result<HttpReply> CliContext::call(std::string_view method, std::string_view target,
                                   std::string_view body, const BodySink& sink) {
  if (!client_) client_ = std::make_unique<UnixHttpClient>(options_.socketPath, timeout_);
  return client_->request(method, target, body, {}, sink);
}

int CliContext::fail(ExitCode code, const std::string& message) {
  // Messages may carry wped's or the API's text (already escaped once by wped, but a server or
  // an older wped may send anything): controls never reach the terminal raw.
  err_ << "wpectl: " << escapeForTerminal(message, TerminalLayout::KeepLines) << "\n";
  return code;
}

int CliContext::failTransport(const Error& error) {
  if (options_.json) out_ << errorToJson(error) << "\n";
  if (error.code == ErrorCode::Unavailable) {
    return fail(kExitUnreachable,
                error.message +
                    "; is wped running? start it with `systemctl --user start wped.socket` "
                    "or run `wped`");
  }
  return fail(kExitError, error.message);
}

int CliContext::failReply(const HttpReply& reply) {
  Error error = errorFromJson(reply.body, reply.status);
  if (options_.json) out_ << (reply.body.empty() ? errorToJson(error) : reply.body) << "\n";
  return fail(exitCodeFor(error.code), error.message.empty()
                                           ? "wped answered HTTP " + std::to_string(reply.status)
                                           : error.message);
}

int CliContext::printJson(const HttpReply& reply) {
  out_ << reply.body << "\n";
  return kExitOk;
}

}  // namespace wpe::ctl
