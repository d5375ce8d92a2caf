// wpectl sites | installs | accounts | site: the profile's cached lists. --json copies the
// daemon's bytes to stdout without parsing them (10,000 sites stay fast); the human output
// is a table fitted to the terminal and a footer on stderr.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string_view>

#include "common/wire.h"
#include "ctl/command.h"
#include "ctl/command_args.h"
#include "ctl/output.h"
#include "ctl/progress_notice.h"
#include "ctl/reply_views.h"

namespace wpe::ctl {
namespace {

// A never-synced profile makes wped wait for the first sync (up to 10 minutes).
constexpr std::chrono::minutes kListTimeout{11};
constexpr std::chrono::seconds kProgressDelay{1};
// Account names are a nicety: give up on them quickly rather than wait for a sync.
constexpr std::chrono::seconds kAccountNamesTimeout{2};

std::string percentEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// --json: the body verbatim, straight to stdout as it arrives (never held whole), then a
// newline unless it ended with one.
class CopyThrough {
 public:
  explicit CopyThrough(Output& out) : out_(out) {}
  BodySink sink() {
    return [this](std::string_view piece) {
      if (piece.empty()) return true;
      out_.write(piece);
      last_ = piece.back();
      return out_.ok();
    };
  }
  bool started() const { return last_ != 0; }
  int finish() {
    if (last_ != '\n') out_ << '\n';
    out_.flush();
    return kExitOk;
  }

 private:
  Output& out_;
  char last_ = 0;  // the last byte copied; 0 before any
};

// " 3 pages, 300 sites so far" while wped walks the list, from GET /v1/status on a
// connection of its own (the list request holds the context's); "" when not known.
std::string syncProgress(const std::string& socketPath, const std::string& profile,
                         const std::string& kind) {
  UnixHttpClient client(socketPath, std::chrono::seconds(2));
  auto reply = client.request("GET", "/v1/status");
  if (!reply || reply->status != 200) return {};
  auto status = statusFromJson(reply->body);
  if (!status) return {};
  std::string pages, items;
  for (const auto& p : status->profiles) {
    if (p.name != profile) continue;
    for (const auto& [key, value] : p.extra) {
      if (key == kind + "_sync_pages") pages = value;
      if (key == kind + "_sync_items") items = value;
    }
  }
  if (pages.empty()) return {};
  return " " + pages + (pages == "1" ? " page, " : " pages, ") + items + " " + kind + " so far";
}

int list(CliContext& ctx, const std::string& kind, const std::vector<std::string>& words) {
  CommandArgs args(kind, {"--refresh"}, {}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  std::string base = "/v1/profiles/" + ctx.options().profile + "/";
  ctx.setTimeout(kListTimeout);
  ProgressNotice notice(ctx.err(), "Syncing " + kind + " from the WP Engine API\xE2\x80\xA6",
                        kProgressDelay,
                        [socket = ctx.options().socketPath, profile = ctx.options().profile, kind] {
                          return syncProgress(socket, profile, kind);
                        });
  if (::isatty(STDERR_FILENO)) notice.start();
  CopyThrough copy(ctx.out());
  auto reply = ctx.call("GET", base + kind + (args.has("--refresh") ? "?refresh=1" : ""), {},
                        ctx.options().json ? copy.sink() : BodySink());
  notice.stop();
  if (!reply && copy.started()) {
    // Part of the list is on stdout already: no JSON error document after it (a reader sees
    // a cut-off document and the exit code), only the message on stderr.
    return ctx.fail(kExitError, reply.error().message);
  }
  if (!reply) return ctx.failTransport(reply.error());
  if (reply->status >= 400) return ctx.failReply(reply.value());
  if (ctx.options().json) return copy.finish();

  std::map<std::string, std::string> names;
  if (kind == "sites") {
    ctx.setTimeout(kAccountNamesTimeout);
    auto accounts = ctx.call("GET", base + "accounts");
    if (accounts && accounts->status == 200) names = accountNames(accounts->body);
  }
  auto view = listView(kind, reply->body, names);
  if (!view) return ctx.fail(kExitError, view.error().message);
  ctx.out() << view->table.render(Table::terminalWidth(STDOUT_FILENO));
  ctx.out().flush();
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  ctx.err() << listFooter(view.value(), kind, now.count()) << "\n";
  return kExitOk;
}

int site(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("site", {}, {}, 1);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  if (args.positionals().empty() || args.positionals()[0].empty()) {
    return ctx.fail(kExitUsage, "usage: wpectl site ID-or-NAME");
  }
  ctx.setTimeout(kListTimeout);
  std::string target =
      "/v1/profiles/" + ctx.options().profile + "/sites/" + percentEncode(args.positionals()[0]);
  return ctx.run("GET", target, {}, [&ctx](const HttpReply& reply) {
    auto text = siteDetail(reply.body, Table::terminalWidth(STDOUT_FILENO));
    if (!text) return ctx.fail(kExitError, text.error().message);
    ctx.out() << *text;
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void addSiteCommands(CommandList& commands) {
  for (const char* kind : {"sites", "installs", "accounts"}) {
    std::string name = kind;
    commands.push_back({name,
                        name + " [--refresh]",
                        "list the profile's " + name + " (cached)",
                        {"--refresh"},
                        [name](CliContext& ctx, const std::vector<std::string>& args) {
                          return list(ctx, name, args);
                        }});
  }
  commands.push_back({"site", "site ID-or-NAME", "one site's details and installs", {}, site});
}

}  // namespace wpe::ctl
