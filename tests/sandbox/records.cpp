#include "tests/sandbox/records.h"

#include "tests/sandbox/json_text.h"

namespace wpe {
namespace {

// Appends `"key":` then the quoted value; keeps serialisation to one growing buffer, which
// matters at 50,000 sites (~150,000 JSON texts at startup).
void field(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  json::appendQuoted(out, value);
}

void nullableField(std::string& out, std::string_view key, const std::string& value) {
  out += key;
  if (value.empty())
    out += "null";
  else
    json::appendQuoted(out, value);
}

}  // namespace

void AccountRecord::serialize() {
  json.clear();
  field(json, "{\"id\":", id);
  field(json, ",\"name\":", name);
  field(json, ",\"nickname\":", nickname);
  json += '}';
}

void InstallRecord::serialize() {
  json.clear();
  json.reserve(448);
  field(json, "{\"id\":", id);
  field(json, ",\"name\":", name);
  field(json, ",\"account\":{\"id\":", accountId);
  nullableField(json, "},\"php_version\":", phpVersion);
  json += ",\"status\":\"active\",\"site\":";
  if (siteId.empty()) {
    json += "null";
  } else {
    field(json, "{\"id\":", siteId);
    json += '}';
  }
  field(json, ",\"cname\":", cname);
  field(json, ",\"stable_ips\":null,\"environment\":", environment);
  nullableField(json, ",\"primary_domain\":", primaryDomain);
  field(json, ",\"is_multisite\":false,\"created_at\":", createdAt);
  json += '}';
  json.shrink_to_fit();
}

std::string InstallRecord::singleJson() const {
  std::string out(json, 0, json.size() - 1);
  field(out, ",\"wp_version\":", wpVersion);
  out += '}';
  return out;
}

std::string InstallRecord::shortJson() const {
  std::string out;
  out.reserve(200);
  field(out, "{\"id\":", id);
  field(out, ",\"name\":", name);
  field(out, ",\"environment\":", environment);
  field(out, ",\"cname\":", cname);
  nullableField(out, ",\"php_version\":", phpVersion);
  out += ",\"is_multisite\":false}";
  return out;
}

void SiteRecord::serialize(const std::vector<const InstallRecord*>& installs) {
  json.clear();
  json.reserve(300 + installs.size() * 200);
  field(json, "{\"id\":", id);
  field(json, ",\"name\":", name);
  field(json, ",\"account\":{\"id\":", accountId);
  json += "},\"group_name\":";
  if (groupName)
    json::appendQuoted(json, *groupName);
  else
    json += "null";
  json += ",\"tags\":[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) json += ',';
    json::appendQuoted(json, tags[i]);
  }
  field(json, "],\"created_at\":", createdAt);
  json += ",\"sandbox\":false,\"transferable\":";
  json += transferable ? "true" : "false";
  json += ",\"installs\":[";
  for (std::size_t i = 0; i < installs.size(); ++i) {
    if (i) json += ',';
    json += installs[i]->shortJson();
  }
  json += "]}";
  json.shrink_to_fit();
}

void UserRecord::serialize() {
  json.clear();
  field(json, "{\"id\":", id);
  field(json, ",\"email\":", email);
  field(json, ",\"first_name\":", firstName);
  field(json, ",\"last_name\":", lastName);
  json += ",\"phone_number\":null}";
}

}  // namespace wpe
