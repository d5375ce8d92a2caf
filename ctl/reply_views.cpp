#include "ctl/reply_views.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "ctl/relative_time.h"

namespace wpe::ctl {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parseObject(std::string_view json) {
  Poco::JSON::Parser parser;
  auto value = parser.parse(std::string(json));
  auto object = value.extract<Object::Ptr>();
  if (!object) throw Poco::JSON::JSONException("not an object");
  return object;
}

// A field as display text: strings as they are, numbers and booleans printed, null/missing "".
std::string text(const Object::Ptr& object, const std::string& name) {
  if (!object || !object->has(name) || object->isNull(name)) return {};
  auto value = object->get(name);
  if (value.isString()) return value.extract<std::string>();
  if (value.isArray() || value.isStruct()) return {};
  return value.convert<std::string>();
}

std::string nestedId(const Object::Ptr& object, const std::string& name) {
  if (!object || !object->has(name) || object->isNull(name)) return {};
  return text(object->getObject(name), "id");
}

std::string installDomain(const Object::Ptr& install) {
  std::string domain = text(install, "primary_domain");
  return domain.empty() ? text(install, "cname") : domain;
}

void addRow(Table& table, std::string_view kind, const Object::Ptr& item,
            const std::map<std::string, std::string>& accounts) {
  if (kind == "sites") {
    std::string account = nestedId(item, "account");
    if (auto it = accounts.find(account); it != accounts.end() && !it->second.empty()) account = it->second;
    std::string installs;
    if (auto list = item->getArray("installs")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto install = list->getObject(static_cast<unsigned>(i));
        if (!install) continue;
        if (!installs.empty()) installs += ", ";
        installs += text(install, "name");
        std::string env = text(install, "environment");
        if (!env.empty()) installs += " (" + env + ")";
      }
    }
    table.addRow({text(item, "name"), text(item, "id"), account, installs});
  } else if (kind == "installs") {
    table.addRow({text(item, "name"), text(item, "environment"), installDomain(item), nestedId(item, "site"),
                  text(item, "id")});
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
  try {
    auto object = parseObject(json);
    if (object->has("user")) {
      if (object->isNull("user")) return std::string();
      object = object->getObject("user");
      if (!object) return std::string();
    }
    std::string email = text(object, "email");
    std::string name = text(object, "first_name");
    std::string last = text(object, "last_name");
    if (!last.empty()) name += (name.empty() ? "" : " ") + last;
    if (email.empty()) return name;
    return name.empty() ? email : email + " (" + name + ")";
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "the user answer is not the expected JSON");
  }
}

std::map<std::string, std::string> accountNames(std::string_view accountsJson) {
  std::map<std::string, std::string> names;
  try {
    auto results = parseObject(accountsJson)->getArray("results");
    for (std::size_t i = 0; results && i < results->size(); ++i) {
      auto account = results->getObject(static_cast<unsigned>(i));
      if (account) names[text(account, "id")] = text(account, "name");
    }
  } catch (const std::exception&) {
    names.clear();  // names are a nicety: ids are shown instead
  }
  return names;
}

Result<ListView> listView(std::string_view kind, std::string_view json,
                          const std::map<std::string, std::string>& accounts) {
  try {
    auto object = parseObject(json);
    ListView view;
    view.table = emptyTable(kind);
    view.syncedAt = text(object, "synced_at");
    view.stale = object->optValue<bool>("stale", false);
    view.lastError = text(object, "last_error");
    auto results = object->getArray("results");
    if (!results) return Error(ErrorCode::Internal, "wped's " + std::string(kind) + " answer lacks results");
    for (std::size_t i = 0; i < results->size(); ++i) {
      auto item = results->getObject(static_cast<unsigned>(i));
      if (item) addRow(view.table, kind, item, accounts);
    }
    view.count = object->has("count") && !object->isNull("count") ? object->getValue<std::size_t>("count")
                                                                    : view.table.rowCount();
    return view;
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's " + std::string(kind) + " answer is not the expected JSON");
  }
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
  if (view.stale) out += " (stale" + (view.lastError.empty() ? std::string() : ": " + view.lastError) + ")";
  return out;
}

Result<std::string> siteDetail(std::string_view json, std::size_t width) {
  try {
    auto site = parseObject(json);
    std::string out = text(site, "name") + "\n";
    auto field = [&out](const std::string& label, const std::string& value) {
      if (!value.empty()) out += "  " + label + std::string(label.size() < 10 ? 10 - label.size() : 1, ' ') + value + "\n";
    };
    field("id:", text(site, "id"));
    field("account:", nestedId(site, "account"));
    field("group:", text(site, "group_name"));
    std::string tags;
    if (auto list = site->getArray("tags")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        tags += (tags.empty() ? "" : ", ") + list->getElement<std::string>(static_cast<unsigned>(i));
      }
    }
    field("tags:", tags);
    field("created:", text(site, "created_at"));
    field("sandbox:", text(site, "sandbox"));
    Table installs({"INSTALL", "ENVIRONMENT", "DOMAIN", "PHP", "ID"});
    if (auto list = site->getArray("installs")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto install = list->getObject(static_cast<unsigned>(i));
        if (install) {
          installs.addRow({text(install, "name"), text(install, "environment"), installDomain(install),
                           text(install, "php_version"), text(install, "id")});
        }
      }
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
  } catch (const std::exception&) {
    return Error(ErrorCode::Internal, "wped's site answer is not the expected JSON");
  }
}

}  // namespace wpe::ctl
