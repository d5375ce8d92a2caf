#include "ctl/status_view.h"

#include <map>
#include <set>

#include "common/terminal_escape.h"
#include "ctl/relative_time.h"

namespace wpe::ctl {
namespace {

// "10:11:46Z (in 2 min)" or "… (3 min ago)"; the text as sent when it is not a time.
std::string when(const std::string& text, std::int64_t now) {
  auto at = parseRfc3339Seconds(text);
  if (!at) return text;
  std::int64_t delta = *at - now;
  std::string rel;
  if (delta >= 60) {
    rel = "in " + std::to_string(delta / 60) + " min";
  } else if (delta > 0) {
    rel = "in " + std::to_string(delta) + " s";
  } else {
    rel = formatAge(std::chrono::seconds(-delta));
  }
  return text + " (" + rel + ")";
}

}  // namespace

std::string profileFactLines(const ProfileStatus& profile, std::int64_t now,
                             const std::string& indent) {
  std::map<std::string, std::string> facts(profile.extra.begin(), profile.extra.end());
  std::set<std::string> shown;
  auto take = [&](const std::string& key) -> std::string {
    auto it = facts.find(key);
    if (it == facts.end()) return {};
    shown.insert(key);
    return escapeForTerminal(it->second);  // account names, sync errors: the API's text
  };
  std::string out;

  std::string credential = take("credential");
  std::string user = take("user");
  std::string storage = take("storage");
  if (!credential.empty()) {
    out += indent + "credential: " + credential;
    if (!user.empty()) out += " (user " + user + ")";
    if (!storage.empty()) out += ", " + storage;
    out += "\n";
  }
  std::string accountName = take("account_name");
  std::string accountEmail = take("account_email");
  if (!accountName.empty() || !accountEmail.empty()) {
    out += indent + "account:    " + accountName +
           (accountEmail.empty() ? ""
                                 : (accountName.empty() ? "" : " ") + ("<" + accountEmail + ">")) +
           "\n";
  }

  std::string tokenState = take("token_state");
  if (!tokenState.empty()) {
    out += indent + "token:      " + tokenState;
    std::string expires = take("token_expires_at");
    if (!expires.empty()) out += ", expires " + when(expires, now);
    out += "\n";
    std::string last = take("last_refresh_at");
    std::string next = take("next_refresh_at");
    if (!last.empty() || !next.empty()) {
      out += indent + "refresh:    ";
      if (!last.empty()) out += "last " + when(last, now);
      if (!last.empty() && !next.empty()) out += ", ";
      if (!next.empty()) out += "next " + when(next, now);
      out += "\n";
    }
    std::string error = take("token_error");
    if (!error.empty()) out += indent + "token error: " + error + "\n";
    std::string pending = take("persistence_pending");
    if (!pending.empty()) out += indent + "persistence pending: " + pending + "\n";
  }

  // The shared rate-limit backoff and the coalesced reads: one line, only once they matter.
  std::string limitedUntil = take("rate_limit_until");
  std::string heldBack = take("rate_limited_answers");
  std::string coalesced = take("passthrough_coalesced");
  if (!limitedUntil.empty() || (!heldBack.empty() && heldBack != "0") ||
      (!coalesced.empty() && coalesced != "0")) {
    out += indent + "api:        " + (coalesced.empty() ? "0" : coalesced) + " reads coalesced, " +
           (heldBack.empty() ? "0" : heldBack) + " answered rate_limited by wped";
    if (!limitedUntil.empty()) out += "; holding back until " + when(limitedUntil, now);
    out += "\n";
  }

  for (const char* kind : {"sites", "installs", "accounts"}) {
    const std::string k = kind;
    std::string count = take(k + "_count");
    std::string synced = take(k + "_synced_at");
    std::string stale = take(k + "_stale");
    std::string syncing = take(k + "_syncing");
    std::string error = take(k + "_error");
    if (count.empty() && synced.empty() && error.empty()) continue;
    std::string line = indent + k + ":" + std::string(10 - k.size(), ' ');
    if (synced.empty() || synced == "never") {
      line += "never synced";
    } else {
      auto at = parseRfc3339Seconds(synced);
      line += count + ", synced " + (at ? formatAge(std::chrono::seconds(now - *at)) : synced);
    }
    if (stale == "true" && !(synced.empty() || synced == "never")) line += " (stale)";
    if (syncing == "true") line += ", syncing now";
    if (!error.empty()) line += "; last sync failed: " + error;
    out += line + "\n";
  }

  for (const auto& [key, value] : profile.extra) {
    if (!shown.count(key))
      out += indent + escapeForTerminal(key) + ": " + escapeForTerminal(value) + "\n";
  }
  return out;
}

}  // namespace wpe::ctl
