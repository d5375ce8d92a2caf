#pragma once
// The sandbox's data records, in the WP Engine API's shapes (wpe-api/README.md). Each record
// keeps its compact JSON, serialised once when generated or changed, so a page of 100 sites is
// a string join. Plain values; DataSet guards them.

#include <optional>
#include <string>
#include <vector>

namespace wpe {

struct AccountRecord {
  std::string id, name, nickname;
  std::string json;
  void serialize();
};

struct InstallRecord {
  std::string id, name, accountId, siteId, environment, cname, phpVersion, primaryDomain, createdAt,
      wpVersion;
  std::string json;  // list form (/v1/installs items)
  void serialize();
  // Built on demand: kept for every install they would double the sandbox's memory at 50,000
  // sites, and page-faulting that memory in dominated startup.
  std::string singleJson() const;  // GET /v1/installs/{id}: adds wp_version
  std::string shortJson() const;   // embedded in a site's "installs"
};

struct SiteRecord {
  std::string id, name, accountId, createdAt;
  std::optional<std::string> groupName;
  std::vector<std::string> tags;
  bool transferable = false;
  std::vector<std::string> installIds;
  std::string json;
  // Needs the embedded installs' shortJson, in installIds order.
  void serialize(const std::vector<const InstallRecord*>& installs);
};

struct UserRecord {
  std::string id, email, firstName, lastName;
  std::string json;
  void serialize();
};

// Everything DataGenerator makes and DataSet serves; installs in site order.
struct DataContents {
  UserRecord user;
  std::vector<AccountRecord> accounts;
  std::vector<SiteRecord> sites;
  std::vector<InstallRecord> installs;
};

}  // namespace wpe
