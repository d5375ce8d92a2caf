#include "ctl/reply_views.h"

#include "common/json_value.h"
#include "common/profile_wire.h"
#include "common/terminal_escape.h"
#include "ctl/relative_time.h"

namespace wpe::ctl {
namespace {

std::string text(const JsonValue& object, std::string_view name) { return object[name].text(); }

std::string nestedId(const JsonValue& object, std::string_view name) {
  return object[name]["id"].text();
}

std::string installDomain(const JsonValue& install) {
  std::string domain = text(install, "primary_domain");
  return domain.empty() ? text(install, "cname") : domain;
}

void addRow(Table& table, std::string_view kind, const JsonValue& item,
            const std::map<std::string, std::string>& accounts) {
  if (kind == "sites") {
    std::string account = nestedId(item, "account");
    if (auto it = accounts.find(account); it != accounts.end() && !it->second.empty())
      account = it->second;
    std::string installs;
    for (const auto& install : item["installs"].items()) {
      if (!installs.empty()) installs += ", ";
      installs += text(install, "name");
      std::string env = text(install, "environment");
      if (!env.empty()) installs += " (" + env + ")";
    }
    table.addRow({text(item, "name"), text(item, "id"), account, installs});
  } else if (kind == "installs") {
    table.addRow({text(item, "name"), text(item, "environment"), installDomain(item),
                  nestedId(item, "site"), text(item, "id")});
  } else {
    table.addRow({text(item, "name"), text(item, "nickname"), text(item, "id")});
  }
}

Table emptyTable(std::string_view kind) {
  if (kind == "sites") return Table({"NAME", "ID", "ACCOUNT", "INSTALLS"});
  if (kind == "installs") return Table({"NAME", "ENVIRONMENT", "DOMAIN", "SITE", "ID"});
  return Table({"NAME", "NICKNAME", "ID"});
}

}  // namespace

Result<std::string> userSummary(std::string_view json) {
  auto doc = JsonValue::parse(json);
  if (!doc || !doc->isObject())
    return Error(ErrorCode::Internal, "the user answer is not the expected JSON");
  const JsonValue& user = doc->has("user") ? (*doc)["user"] : doc.value();
  std::string email = text(user, "email");
  std::string name = text(user, "first_name");
  std::string last = text(user, "last_name");
  if (!last.empty()) name += (name.empty() ? "" : " ") + last;
  if (email.empty()) return escapeForTerminal(name);
  return escapeForTerminal(name.empty() ? email : email + " (" + name + ")");
}

std::map<std::string, std::string> accountNames(std::string_view accountsJson) {
  std::map<std::string, std::string> names;
  auto doc = JsonValue::parse(accountsJson);
  if (!doc) return names;  // names are a nicety: ids are shown instead
  for (const auto& account : (*doc)["results"].items())
    names[text(account, "id")] = text(account, "name");
  return names;
}

Result<ListView> listView(std::string_view kind, std::string_view json,
                          const std::map<std::string, std::string>& accounts) {
  auto reply = listReplyFromJson(json);
  if (!reply) {
    return Error(ErrorCode::Internal,
                 "wped's " + std::string(kind) + " answer is not the expected JSON");
  }
  ListView view;
  view.table = emptyTable(kind);
  view.syncedAt = reply->head.syncedAt;
  view.stale = reply->head.stale;
  view.lastError = reply->head.lastError;
  for (const auto& item : reply->results.items()) addRow(view.table, kind, item, accounts);
  view.count = reply->hasCount ? reply->head.count : view.table.rowCount();
  return view;
}

std::string listFooter(const ListView& view, std::string_view kind, std::int64_t now) {
  std::string noun(kind);
  if (view.count == 1) noun.pop_back();
  std::string out = std::to_string(view.count) + " " + noun;
  if (auto synced = parseRfc3339Seconds(view.syncedAt)) {
    out += ", synced " + formatAge(std::chrono::seconds(now - *synced));
  } else {
    out += ", never synced";
  }
  if (view.stale)
    out += " (stale" +
           (view.lastError.empty() ? std::string() : ": " + escapeForTerminal(view.lastError)) +
           ")";
  return out;
}

Result<std::string> siteDetail(std::string_view json, std::size_t width) {
  auto doc = JsonValue::parse(json);
  if (!doc || !doc->isObject())
    return Error(ErrorCode::Internal, "wped's site answer is not the expected JSON");
  const JsonValue& site = doc.value();
  std::string out = escapeForTerminal(text(site, "name")) + "\n";
  auto field = [&out](const std::string& label, const std::string& value) {
    if (!value.empty())
      out += "  " + label + std::string(label.size() < 10 ? 10 - label.size() : 1, ' ') +
             escapeForTerminal(value) + "\n";
  };
  field("id:", text(site, "id"));
  field("account:", nestedId(site, "account"));
  field("group:", text(site, "group_name"));
  std::string tags;
  for (const auto& tag : site["tags"].items()) tags += (tags.empty() ? "" : ", ") + tag.text();
  field("tags:", tags);
  field("created:", text(site, "created_at"));
  field("sandbox:", text(site, "sandbox"));
  Table installs({"INSTALL", "ENVIRONMENT", "DOMAIN", "PHP", "ID"});
  for (const auto& install : site["installs"].items()) {
    installs.addRow({text(install, "name"), text(install, "environment"), installDomain(install),
                     text(install, "php_version"), text(install, "id")});
  }
  if (installs.rowCount() == 0) return out + "  no installs\n";
  out += "\n";
  std::string table = installs.render(width > 2 ? width - 2 : width);
  std::size_t start = 0;
  while (start < table.size()) {
    auto end = table.find('\n', start);
    out += "  " + table.substr(start, end - start + 1);
    start = end + 1;
  }
  return out;
}

}  // namespace wpe::ctl
