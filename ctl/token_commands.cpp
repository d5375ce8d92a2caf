// wpectl token: a valid access token for scripts. On the hot path (called before every API
// request a script makes): one request, no profile lookup, a small parse.
#include "common/profile_wire.h"
#include "ctl/command.h"
#include "ctl/command_args.h"

namespace wpe::ctl {
namespace {

constexpr long kMaxMinValid = 86400;

int token(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("token", {"--header"}, {"--min-valid"}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  std::string target = "/v1/profiles/" + ctx.options().profile + "/token";
  if (auto minValid = args.value("--min-valid")) {
    bool valid = !minValid->empty() && minValid->size() <= 6;
    for (char c : *minValid) valid = valid && c >= '0' && c <= '9';
    if (!valid || std::stol(*minValid) > kMaxMinValid) {
      return ctx.fail(kExitUsage, "--min-valid must be a whole number of seconds from 0 to 86400");
    }
    target += "?min_valid=" + *minValid;
  }
  bool header = args.has("--header");
  return ctx.run("GET", target, {}, [&ctx, header](const HttpReply& reply) {
    auto parsed = tokenReplyFromJson(reply.body);
    if (!parsed) return ctx.fail(kExitError, parsed.error().message);
    ctx.out() << (header ? parsed->authorization.reveal() : parsed->accessToken.reveal()) << "\n";
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void addTokenCommands(CommandList& commands) {
  commands.push_back({"token",
                      "token [--min-valid SECONDS] [--header] [--json]",
                      "print a valid access token",
                      {"--min-valid", "--header"},
                      token});
}

}  // namespace wpe::ctl
