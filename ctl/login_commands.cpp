// wpectl login | logout: hand a credential to wped (never on argv: stdin or a no-echo
// prompt), or start an OAuth login in the browser and wait for it to finish.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "common/auth_kind.h"
#include "common/credential_text.h"
#include "common/login_callback_wire.h"
#include "common/profile_wire.h"
#include "common/terminal_escape.h"
#include "common/undumpable.h"
#include "common/wire.h"
#include "ctl/browser_launcher.h"
#include "ctl/command.h"
#include "ctl/command_args.h"
#include "ctl/line_reader.h"
#include "ctl/replace_confirmation.h"
#include "ctl/reply_views.h"
#include "ctl/secret_prompt.h"

namespace wpe::ctl {
namespace {

// The daemon forgets a pending login after 5 minutes; a little slack for the last poll.
constexpr std::chrono::minutes kLoginDeadline{6};
constexpr std::chrono::seconds kPollWait{30};
constexpr std::chrono::seconds kPollTimeout{45};
// How long to wait for a pasted line before asking wped whether the listener won instead.
constexpr std::chrono::seconds kPasteCheck{1};

std::string profileTarget(CliContext& ctx) { return "/v1/profiles/" + ctx.options().profile; }

// wped applies the same rule (common/credential_text.h); checking here first refuses before
// anything leaves wpectl. nullopt: acceptable; else the exit code, the reason printed.
std::optional<int> refusedText(CliContext& ctx, std::string_view value, const std::string& what,
                               const std::string& flags, const std::string& from,
                               CredentialPart part = CredentialPart::Secret) {
  auto ok = checkCredentialText(value, what,
                                "nothing was sent to wped. Copy it again from " + from +
                                    ", without extra characters, and run `wpectl login "
                                    "--profile " +
                                    ctx.options().profile + flags + "`",
                                part);
  if (ok) return std::nullopt;
  return ctx.fail(kExitUsage, ok.error().message);
}

constexpr const char* kApiAccessPage = "the API Access page of the WP Engine User Portal";

int loggedIn(CliContext& ctx, const std::string& userJson) {
  auto who = userSummary(userJson);
  ctx.out() << "Logged in to profile " << ctx.options().profile;
  if (who && !who->empty()) ctx.out() << " as " << *who;
  ctx.out() << "\n";
  return kExitOk;
}

// The final answer of a login that left pending: prints the outcome, returns the exit code.
int loginFinished(CliContext& ctx, const HttpReply& reply, const LoginProgress& progress) {
  if (ctx.options().json) ctx.out() << reply.body << "\n";
  if (progress.state != "succeeded") {
    Error error = progress.error ? *progress.error : Error(ErrorCode::Internal, "the login failed");
    return ctx.fail(error.code == ErrorCode::LoginRequired ? kExitLoginRequired : kExitError,
                    error.message.empty() ? "the login failed" : error.message);
  }
  if (ctx.options().json) return kExitOk;
  ctx.setTimeout(std::chrono::seconds(30));
  auto user = ctx.call("GET", profileTarget(ctx) + "/api/user");
  return loggedIn(ctx, user && user->status < 300 ? user->body : std::string("{}"));
}

// Hands a pasted address to wped. nullopt: the login is still pending (the paste was refused,
// the user was told why and may paste again); otherwise the exit code.
std::optional<int> submitPaste(CliContext& ctx, const std::string& loginId, const Secret& url) {
  auto reply = ctx.call("POST", "/v1/logins/" + loginId + "/callback",
                        loginCallbackToJson(LoginCallback{url}));
  if (!reply) return ctx.failTransport(reply.error());
  if (reply->status == 400) {
    Error error = errorFromJson(reply->body, reply->status);
    ctx.err() << "wpectl: " << escapeForTerminal(error.message)
              << "\nPaste the address again (the login is still waiting): ";
    ctx.err().flush();
    return std::nullopt;
  }
  if (reply->status == 409) {
    // The listener got there first (or a paste did): the outcome is for the poll to report.
    ctx.err() << "wpectl: this login already completed; the pasted address was not used\n";
    return std::nullopt;
  }
  if (reply->status >= 400) return ctx.failReply(reply.value());
  auto progress = loginProgressFromJson(reply->body);
  if (!progress) return ctx.fail(kExitError, progress.error().message);
  return loginFinished(ctx, reply.value(), progress.value());
}

// With --no-browser the address the browser ended on may also be pasted: the input the
// address is read from (stdin, or the terminal when stdin carried the client secret), or -1.
int pasteInput(bool stdinTaken) {
  if (!stdinTaken) return STDIN_FILENO;
  return ::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

int oauthLogin(CliContext& ctx, const CommandArgs& args, std::optional<Secret> clientSecret) {
  const bool stdinTaken = clientSecret.has_value() && !isatty(STDIN_FILENO);
  LoginRequest request;
  request.method = authKindName(AuthKind::OAuth);
  request.clientSecret = std::move(clientSecret);
  auto started = ctx.call("POST", profileTarget(ctx) + "/login", loginRequestToJson(request));
  if (!started) return ctx.failTransport(started.error());
  if (started->status >= 400) return ctx.failReply(started.value());
  auto login = loginStartedFromJson(started->body);
  if (!login) return ctx.fail(kExitError, login.error().message);

  const bool headless = args.has("--no-browser");
  int pasteFd = -1;
  if (!headless) {
    BrowserLauncher launcher(processEnv());
    if (auto command = launcher.commandFor(login->authorizeUrl)) {
      if (auto launched = launcher.launch(*command); !launched) {
        ctx.err() << "wpectl: could not start the browser: " << launched.error().message << "\n";
      }
    }
    // Always printed: the browser may not have opened, or may be on another machine.
    ctx.err() << "Open this URL in your browser to log in: " << login->authorizeUrl << "\n";
  } else {
    pasteFd = pasteInput(stdinTaken);
    ctx.err() << "Open this URL in a browser to log in:\n  " << login->authorizeUrl << "\n";
    if (pasteFd >= 0) {
      ctx.err() << "When it ends on a page that cannot load, paste its address here: ";
      ctx.err().flush();
    }
  }
  std::optional<LineReader> paste;
  if (pasteFd >= 0) paste.emplace(pasteFd);

  ctx.setTimeout(kPollTimeout);
  auto deadline = std::chrono::steady_clock::now() + kLoginDeadline;
  const std::string progressTarget = "/v1/logins/" + login->loginId + "?wait=";
  int result = kExitOk;
  for (;;) {
    // While a paste may come, look at the input every second and ask wped without waiting;
    // otherwise long-poll wped.
    std::chrono::seconds wait = kPollWait;
    if (paste && paste->open()) {
      wait = std::chrono::seconds(0);
      auto line = paste->next(kPasteCheck);
      if (!line) {
        result = ctx.fail(kExitError, line.error().message);
        break;
      }
      if (line->has_value() && !(*line)->empty()) {
        if (auto done = submitPaste(ctx, login->loginId, **line)) {
          result = *done;
          break;
        }
      }
    }
    auto reply = ctx.call("GET", progressTarget + std::to_string(wait.count()));
    if (!reply) {
      result = ctx.failTransport(reply.error());
      break;
    }
    if (reply->status >= 400) {
      result = ctx.failReply(reply.value());
      break;
    }
    auto progress = loginProgressFromJson(reply->body);
    if (!progress) {
      result = ctx.fail(kExitError, progress.error().message);
      break;
    }
    if (progress->state != "pending") {
      if (paste && paste->open()) ctx.err() << "\n";  // the prompt's line is left open
      result = loginFinished(ctx, reply.value(), progress.value());
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      result = ctx.fail(kExitError, "the login did not complete in time; run `wpectl login` again");
      break;
    }
  }
  paste.reset();
  if (pasteFd > STDIN_FILENO) ::close(pasteFd);
  return result;
}

int login(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args(
      "login",
      {"--api-key", "--basic", "--oauth", "--no-browser", "--client-secret-stdin", "--replace"},
      {"--user"}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  // This process may soon hold a secret: no core dump carries it and no process of the same
  // user reads its memory (docs/security.md rule 4), for the rest of its life — simplest and safe.
  if (auto undumpable = makeUndumpable(); !undumpable) {
    return ctx.fail(kExitError, undumpable.error().message);
  }
  int methods = args.has("--api-key") + args.has("--basic") + args.has("--oauth");
  if (methods > 1) return ctx.fail(kExitUsage, "choose one of --api-key, --basic and --oauth");
  std::optional<AuthKind> method = args.has("--api-key") ? std::optional(AuthKind::ApiKey)
                                   : args.has("--basic") ? std::optional(AuthKind::Basic)
                                   : args.has("--oauth") ? std::optional(AuthKind::OAuth)
                                                         : std::nullopt;
  std::string user = args.value("--user").value_or("");
  bool oauthFlags = args.has("--no-browser") || args.has("--client-secret-stdin");
  if (method && method != AuthKind::OAuth && oauthFlags) {
    return ctx.fail(kExitUsage, "--no-browser and --client-secret-stdin go with --oauth only");
  }
  if (method == AuthKind::ApiKey || method == AuthKind::OAuth) {
    if (args.value("--user")) return ctx.fail(kExitUsage, "--user goes with --basic only");
  }
  if (!method || (method == AuthKind::Basic && user.empty())) {
    // The profile's configuration says which kind of login it takes (and the basic user).
    auto reply = ctx.call("GET", profileTarget(ctx));
    if (!reply) return ctx.failTransport(reply.error());
    if (reply->status >= 400) return ctx.failReply(reply.value());
    auto profile = profileInfoFromJson(reply->body);
    if (!profile) return ctx.fail(kExitError, profile.error().message);
    if (!method) method = authKindFromName(profile->auth);
    if (!method) {
      return ctx.fail(kExitError, "profile " + ctx.options().profile +
                                      " has an unknown auth kind \"" +
                                      escapeForTerminal(profile->auth) + "\"; update wpectl");
    }
    if (user.empty()) user = profile->user;
    if (method != AuthKind::OAuth && oauthFlags) {
      return ctx.fail(kExitUsage,
                      "profile " + ctx.options().profile + " uses " + authKindName(*method) +
                          " logins; --no-browser and --client-secret-stdin go with --oauth only");
    }
    if (method == AuthKind::ApiKey && args.value("--user"))
      return ctx.fail(kExitUsage, "--user goes with --basic only");
    if (method == AuthKind::Basic && user.empty()) {
      return ctx.fail(kExitUsage, "a basic login needs --user ID (the API user id)");
    }
  }
  const std::string& p = ctx.options().profile;
  if (method == AuthKind::Basic) {
    if (auto refused = refusedText(ctx, user, "the API user id", " --basic --user ID",
                                   kApiAccessPage, CredentialPart::BasicUserId)) {
      return *refused;
    }
  }
  // Before any secret is read: a refusal must consume and change nothing.
  if (auto refused =
          ReplaceConfirmation().check(ctx, authKindName(*method), args.has("--replace"))) {
    return *refused;
  }
  SecretPrompt prompt(STDIN_FILENO);
  if (method == AuthKind::OAuth) {
    std::optional<Secret> clientSecret;
    if (args.has("--client-secret-stdin")) {
      auto secret = prompt.read("OAuth client secret for profile " + p + ": ", "the client secret");
      if (!secret) return ctx.fail(kExitUsage, secret.error().message);
      if (auto refused =
              refusedText(ctx, secret->reveal(), "the client secret",
                          " --oauth --client-secret-stdin", "your OAuth client's settings")) {
        return *refused;
      }
      clientSecret = std::move(secret.value());
    }
    return oauthLogin(ctx, args, std::move(clientSecret));
  }
  LoginRequest request;
  request.method = authKindName(*method);
  if (method == AuthKind::ApiKey) {
    auto key = prompt.read("WP Engine API key for profile " + p + ": ", "the API key");
    if (!key) return ctx.fail(kExitUsage, key.error().message);
    if (auto refused =
            refusedText(ctx, key->reveal(), "the API key", " --api-key", kApiAccessPage)) {
      return *refused;
    }
    request.apiKey = std::move(key.value());
  } else {
    auto password = prompt.read("WP Engine API password for " + user + " (profile " + p + "): ",
                                "the password");
    if (!password) return ctx.fail(kExitUsage, password.error().message);
    if (auto refused = refusedText(ctx, password->reveal(), "the API password",
                                   " --basic --user ID", kApiAccessPage)) {
      return *refused;
    }
    request.user = user;
    request.password = std::move(password.value());
  }
  // Checking the credential may take a round trip to the WP Engine API with retries.
  ctx.setTimeout(std::chrono::seconds(90));
  return ctx.run("POST", profileTarget(ctx) + "/login", loginRequestToJson(request),
                 [&ctx](const HttpReply& reply) { return loggedIn(ctx, reply.body); });
}

int logout(CliContext& ctx, const std::vector<std::string>& words) {
  CommandArgs args("logout", {}, {}, 0);
  if (auto ok = args.parse(words); !ok) return ctx.fail(kExitUsage, ok.error().message);
  ctx.setTimeout(std::chrono::seconds(60));
  return ctx.run("POST", profileTarget(ctx) + "/logout", {}, [&ctx](const HttpReply&) {
    ctx.out() << "Logged out of profile " << ctx.options().profile << "\n";
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void addLoginCommands(CommandList& commands) {
  commands.push_back(
      {"login",
       "login [--api-key | --basic --user ID | --oauth [--no-browser] [--client-secret-stdin]] "
       "[--replace]",
       "log in (secret from stdin or a no-echo prompt)",
       {"--api-key", "--basic", "--user", "--oauth", "--no-browser", "--client-secret-stdin",
        "--replace"},
       login});
  commands.push_back(
      {"logout", "logout", "revoke and forget the profile's credential", {}, logout});
}

}  // namespace wpe::ctl
