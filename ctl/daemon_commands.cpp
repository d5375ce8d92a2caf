// wpectl status | profiles | reload | shutdown: the daemon's own endpoints.
#include "common/terminal_escape.h"
#include "common/wire.h"
#include "ctl/command.h"
#include "ctl/output.h"
#include "ctl/profile_choice.h"
#include "ctl/status_view.h"

namespace wpe::ctl {
namespace {

std::string duration(std::int64_t seconds) {
  Output out;
  if (seconds >= 86400) out << seconds / 86400 << "d ";
  if (seconds >= 3600) out << (seconds % 86400) / 3600 << "h ";
  if (seconds >= 60) out << (seconds % 3600) / 60 << "m ";
  out << seconds % 60 << "s";
  return out.text();
}

int noArguments(CliContext& ctx, const std::string& command, const std::vector<std::string>& args) {
  if (args.empty()) return kExitOk;
  return ctx.fail(kExitUsage, "unexpected argument \"" + args.front() + "\" for `" + command +
                                  "` (see wpectl --help)");
}

// `--json` gets the daemon's document with the CLI's own choice added in front:
// "active_profile" and "active_profile_source" (which rule chose it; see ProfileChoice).
// `body` was read as a status object (statusFromJson), so its first non-blank byte is the
// object's own '{'.
std::string withActiveProfile(const std::string& body, const GlobalOptions& options) {
  auto brace = body.find_first_not_of(" \t\r\n");
  if (brace == std::string::npos || body[brace] != '{') return body;
  std::string facts = "\"active_profile\":" + jsonQuote(options.profile) +
                      ",\"active_profile_source\":" + jsonQuote(options.profileSource);
  bool empty = body.find_first_not_of(" \t\r\n", brace + 1) == body.find('}', brace);
  return body.substr(0, brace + 1) + facts + (empty ? "" : ",") + body.substr(brace + 1);
}

int status(CliContext& ctx, const std::vector<std::string>& args) {
  if (int rc = noArguments(ctx, "status", args)) return rc;
  auto reply = ctx.call("GET", "/v1/status");
  if (!reply) return ctx.failTransport(reply.error());
  if (reply->status >= 400) return ctx.failReply(reply.value());
  const GlobalOptions& options = ctx.options();
  // Read first also for --json: what is printed is then a valid object with our facts added.
  auto s = statusFromJson(reply->body);
  if (!s) return ctx.fail(kExitError, s.error().message);
  if (options.json) {
    ctx.out() << withActiveProfile(reply->body, options) << "\n";
    return static_cast<int>(kExitOk);
  }
  // wped's and the API's text (details, account names, sync errors) goes through
  // escapeForTerminal once the whole block is built; our own text has no controls.
  Output out;
  out << "wped " << s->version << " (pid " << s->pid << "), up " << duration(s->uptimeSeconds)
      << "\n";
  out << "socket:           " << s->socket << "\n";
  out << "config:           " << (s->config.empty() ? "defaults (no config file)" : s->config)
      << "\n";
  out << "credential store: " << s->credentialStore.state;
  if (!s->credentialStore.detail.empty()) out << " - " << s->credentialStore.detail;
  if (!s->cache.state.empty() && s->cache.state != "unknown") {
    out << "\ncache:            " << s->cache.state;
    if (!s->cache.detail.empty()) out << " - " << s->cache.detail;
  }
  out << "\nactive profile:   " << options.profile << " ("
      << ProfileChoice{options.profile, options.profileSource}.describeSource() << ")";
  bool configured = false;
  for (const auto& p : s->profiles) configured = configured || p.name == options.profile;
  if (!configured) out << " - not in wped's config: add [profile." << options.profile << "]";
  out << "\nprofiles:\n";
  for (const auto& p : s->profiles) {
    out << "  " << p.name << " (" << p.auth << "): " << p.state;
    if (!p.detail.empty()) out << " - " << p.detail;
    out << "\n";
    out << profileFactLines(p, std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  }
  ctx.out() << escapeForTerminal(out.text(), TerminalLayout::KeepLines);
  return static_cast<int>(kExitOk);
}

int profiles(CliContext& ctx, const std::vector<std::string>& args) {
  if (int rc = noArguments(ctx, "profiles", args)) return rc;
  return ctx.run("GET", "/v1/profiles", {}, [&ctx](const HttpReply& reply) {
    auto list = profileListFromJson(reply.body);
    if (!list) return ctx.fail(kExitError, list.error().message);
    for (const auto& p : list.value()) {
      ctx.out() << p.name << "\t" << p.auth << "\t" << p.apiUrl;
      if (!p.user.empty()) ctx.out() << "\tuser=" << p.user;
      if (!p.clientId.empty()) ctx.out() << "\tclient_id=" << p.clientId;
      ctx.out() << "\n";
    }
    return static_cast<int>(kExitOk);
  });
}

int reload(CliContext& ctx, const std::vector<std::string>& args) {
  if (int rc = noArguments(ctx, "reload", args)) return rc;
  return ctx.run("POST", "/v1/reload", {}, [&ctx](const HttpReply&) {
    ctx.out() << "configuration reloaded\n";
    return static_cast<int>(kExitOk);
  });
}

int shutdown(CliContext& ctx, const std::vector<std::string>& args) {
  if (int rc = noArguments(ctx, "shutdown", args)) return rc;
  return ctx.run("POST", "/v1/shutdown", {}, [&ctx](const HttpReply&) {
    ctx.out() << "wped is stopping\n";
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void addDaemonCommands(CommandList& commands) {
  commands.push_back(
      {"status", "status [--json]", "the daemon's and every profile's state", {}, status});
  commands.push_back(
      {"profiles", "profiles [--json]", "the configured profiles (no secrets)", {}, profiles});
  commands.push_back({"reload", "reload", "re-read the configuration file", {}, reload});
  commands.push_back({"shutdown", "shutdown", "stop wped cleanly", {}, shutdown});
}

}  // namespace wpe::ctl
