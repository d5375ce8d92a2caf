// wpectl api: an authenticated request to the WP Engine API through wped. The body is
// printed as received; the exit code says whether the API answered 2xx.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/wire.h"
#include "ctl/api_reply.h"
#include "ctl/command.h"
#include "ctl/command_args.h"

namespace wpe::ctl {
namespace {

constexpr std::size_t kMaxDataBytes = 16 * 1024 * 1024;

Result<std::string> readDataFile(const std::string& path) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error(ErrorCode::BadRequest,
                 "cannot read --data file " + path + ": " + std::strerror(errno));
  std::string data;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      if (fd != STDIN_FILENO) ::close(fd);
      return Error(ErrorCode::BadRequest,
                   "cannot read --data file " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    data.append(chunk, static_cast<std::size_t>(n));
    if (data.size() > kMaxDataBytes) {
      if (fd != STDIN_FILENO) ::close(fd);
      return Error(ErrorCode::BadRequest, "--data file " + path + " is larger than 16 MiB");
    }
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return data;
}

int api(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("api", {}, {"-X", "--data"}, 1);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  if (args.positionals().empty())
    return ctx.fail(kExitUsage, "usage: wpectl api [-X METHOD] PATH [--data JSON|@FILE]");
  auto path = apiPath(args.positionals()[0]);
  if (!path) return ctx.fail(kExitUsage, path.error().message);
  std::string body;
  if (auto data = args.value("--data")) {
    if (!data->empty() && (*data)[0] == '@') {
      auto file = readDataFile(data->substr(1));
      if (!file) return ctx.fail(kExitUsage, file.error().message);
      body = std::move(file.value());
    } else {
      body = *data;
    }
  }
  std::string method = args.value("-X").value_or(args.value("--data") ? "POST" : "GET");
  for (auto& c : method) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  bool token = !method.empty();
  for (char c : method) token = token && c >= 'A' && c <= 'Z';
  if (!token)
    return ctx.fail(kExitUsage, "-X needs an HTTP method such as GET, POST, PATCH or DELETE");

  ctx.setTimeout(std::chrono::minutes(2));
  auto reply = ctx.call(method, "/v1/profiles/" + ctx.options().profile + "/api/" + *path, body);
  if (!reply) return ctx.failTransport(reply.error());
  if (isWpedError(reply.value())) return ctx.failReply(reply.value());
  if (!reply->body.empty()) {
    ctx.out() << reply->body;
    if (reply->body.back() != '\n') ctx.out() << "\n";
  }
  ctx.out().flush();
  if (reply->status >= 200 && reply->status < 300) return kExitOk;
  return ctx.fail(kExitError, "HTTP " + std::to_string(reply->status) + " from the WP Engine API");
}

}  // namespace

void addApiCommand(CommandList& commands) {
  commands.push_back({"api",
                      "api [-X METHOD] PATH [--data JSON|@FILE]",
                      "authenticated WP Engine API request",
                      {"-X", "--data"},
                      api});
}

}  // namespace wpe::ctl
