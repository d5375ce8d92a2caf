// wpectl audit: which local programs used which profile's credential — token requests and
// passthrough calls, as wped recorded them (GET /v1/audit). Every profile unless --profile is
// given; --since WHEN limits it to recent calls; --json prints wped's answer verbatim.
#include <unistd.h>

#include <chrono>

#include "common/audit_wire.h"
#include "ctl/audit_view.h"
#include "ctl/command.h"
#include "ctl/command_args.h"
#include "ctl/since_option.h"

namespace wpe::ctl {
namespace {

constexpr std::size_t kPipedWidth = 4096;

int audit(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("audit", {}, {"--since", "--limit"}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  std::string query;
  auto add = [&query](const std::string& name, const std::string& value) {
    query += (query.empty() ? "?" : "&") + name + "=" + value;
  };
  // Only an explicit --profile filters: WPE_PROFILE or a .wpe-profile pick the profile a
  // command uses, not the one the user wants to audit.
  if (ctx.options().profileSource == "--profile") add("profile", ctx.options().profile);
  if (auto since = args.value("--since")) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    auto when = sinceTime(*since, now.count());
    if (!when) return ctx.fail(kExitUsage, when.error().message);
    add("since", *when);  // "…T…Z": nothing in it needs escaping in a query
  }
  if (auto limit = args.value("--limit")) {
    bool valid = !limit->empty() && limit->size() <= 6;
    for (char c : *limit) valid = valid && c >= '0' && c <= '9';
    if (!valid || std::stol(*limit) < 1 || std::stol(*limit) > 100000) {
      return ctx.fail(kExitUsage, "--limit must be a whole number from 1 to 100000");
    }
    add("limit", *limit);
  }
  return ctx.run("GET", "/v1/audit" + query, {}, [&ctx](const HttpReply& reply) {
    auto parsed = auditReplyFromJson(reply.body);
    if (!parsed) return ctx.fail(kExitError, parsed.error().message);
    // Fitted to a terminal; piped, nothing is cut (a program's path is what one greps for).
    ctx.out() << auditTable(*parsed).render(Table::terminalWidth(STDOUT_FILENO, kPipedWidth));
    ctx.out().flush();
    ctx.err() << auditFooter(*parsed) << "\n";
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void addAuditCommand(CommandList& commands) {
  commands.push_back({"audit",
                      "audit [--since WHEN] [--limit N]",
                      "which programs used which credential, and when",
                      {"--since", "--limit"},
                      audit});
}

}  // namespace wpe::ctl
