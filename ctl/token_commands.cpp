// wpectl token: a valid access token for scripts. On the hot path (called before every API
// request a script makes): one request, no profile lookup, a small parse.
//   --format bearer (default)  the token or key alone
//   --format header            the whole Authorization value (alias: --header)
//   --format env               `export NAME='…'` lines for eval, the names `wpectl exec` sets
//   --format json              wped's answer (alias: the global --json)
#include "common/credential_text.h"
#include "common/profile_wire.h"
#include "ctl/command.h"
#include "ctl/command_args.h"
#include "ctl/credential_variables.h"
#include "ctl/min_valid_option.h"
#include "ctl/shell_quote.h"

namespace wpe::ctl {
namespace {

int token(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("token", {"--header"}, {"--min-valid", "--format"}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  std::string format = args.value("--format").value_or("");
  if (format.empty()) {
    format = ctx.options().json ? "json" : args.has("--header") ? "header" : "bearer";
  } else if (format != "header" && format != "bearer" && format != "env" && format != "json") {
    return ctx.fail(kExitUsage, "unknown --format \"" + format +
                                    "\"; use header, bearer, env or json (see wpectl --help)");
  } else if ((args.has("--header") && format != "header") ||
             (ctx.options().json && format != "json")) {
    return ctx.fail(kExitUsage, "--format " + format + " contradicts " +
                                    (args.has("--header") ? "--header" : "--json") +
                                    "; give one of them");
  }
  std::string target = "/v1/profiles/" + ctx.options().profile + "/token";
  if (auto minValid = args.value("--min-valid")) {
    auto query = minValidQuery(*minValid);
    if (!query) return ctx.fail(kExitUsage, query.error().message);
    target += *query;
  }
  auto reply = ctx.call("GET", target);
  if (!reply) return ctx.failTransport(reply.error());
  if (reply->status >= 400) return ctx.failReply(reply.value());
  if (format == "json") return ctx.printJson(reply.value());
  auto parsed = tokenReplyFromJson(reply->body);
  if (!parsed) return ctx.fail(kExitError, parsed.error().message);
  if (format == "env") {
    auto vars = CredentialVariables::build(*parsed, CredentialVariables::allStyles(),
                                           ctx.options().profile, ctx.options().socketPath);
    if (!vars) return ctx.fail(kExitError, vars.error().message);
    for (const auto& v : *vars)
      ctx.out() << "export " << v.name << "=" << shellQuote(v.value.reveal()) << "\n";
  } else {
    const std::string& value =
        format == "header" ? parsed->authorization.reveal() : parsed->accessToken.reveal();
    // The last guard of the credential rule: one line, or nothing (a CR or LF would turn the
    // header a script pastes into several, the second one wped's or the server's choosing).
    if (!isSafeHeaderValue(value)) {
      return ctx.fail(kExitError,
                      "wped answered a token that holds a control character; not printed. "
                      "Run `wpectl login --profile " +
                          ctx.options().profile + "` again");
    }
    ctx.out() << value << "\n";
  }
  return static_cast<int>(kExitOk);
}

}  // namespace

void addTokenCommands(CommandList& commands) {
  commands.push_back({"token",
                      "token [--min-valid SECONDS] [--format FORMAT] [--header]",
                      "print a valid token; FORMAT: bearer, header, env or json",
                      {"--min-valid", "--format", "--header"},
                      token});
}

}  // namespace wpe::ctl
