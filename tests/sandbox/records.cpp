#include "tests/sandbox/records.h"

#include "tests/sandbox/json_text.h"

namespace wpe {

using json::quote;

void AccountRecord::serialize() {
  json = "{\"id\":" + quote(id) + ",\"name\":" + quote(name) + ",\"nickname\":" + quote(nickname) + "}";
}

void InstallRecord::serialize() {
  const std::string php = phpVersion.empty() ? "null" : quote(phpVersion);
  json = "{\"id\":" + quote(id) + ",\"name\":" + quote(name) + ",\"account\":{\"id\":" +
         quote(accountId) + "},\"php_version\":" + php + ",\"status\":\"active\",\"site\":" +
         (siteId.empty() ? std::string("null") : "{\"id\":" + quote(siteId) + "}") +
         ",\"cname\":" + quote(cname) + ",\"stable_ips\":null,\"environment\":" +
         quote(environment) + ",\"primary_domain\":" +
         (primaryDomain.empty() ? std::string("null") : quote(primaryDomain)) +
         ",\"is_multisite\":false,\"created_at\":" + quote(createdAt) + "}";
  singleJson = json.substr(0, json.size() - 1) + ",\"wp_version\":" + quote(wpVersion) + "}";
  shortJson = "{\"id\":" + quote(id) + ",\"name\":" + quote(name) + ",\"environment\":" +
              quote(environment) + ",\"cname\":" + quote(cname) + ",\"php_version\":" + php +
              ",\"is_multisite\":false}";
}

void SiteRecord::serialize(const std::vector<const InstallRecord*>& installs) {
  std::string out = "{\"id\":" + quote(id) + ",\"name\":" + quote(name) + ",\"account\":{\"id\":" +
                    quote(accountId) + "},\"group_name\":" +
                    (groupName ? quote(*groupName) : std::string("null")) + ",\"tags\":[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) out += ',';
    out += quote(tags[i]);
  }
  out += "],\"created_at\":" + quote(createdAt) + ",\"sandbox\":false,\"transferable\":" +
         (transferable ? "true" : "false") + ",\"installs\":[";
  for (std::size_t i = 0; i < installs.size(); ++i) {
    if (i) out += ',';
    out += installs[i]->shortJson;
  }
  out += "]}";
  json = std::move(out);
}

void UserRecord::serialize() {
  json = "{\"id\":" + quote(id) + ",\"email\":" + quote(email) + ",\"first_name\":" +
         quote(firstName) + ",\"last_name\":" + quote(lastName) + ",\"phone_number\":null}";
}

}  // namespace wpe
