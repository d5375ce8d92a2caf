#pragma once
// DataSet: the sandbox's mutable, in-memory accounts, sites and installs, served as the JSON
// each record pre-serialised. Thread-safe: reads share a lock, writes take it exclusively.
// Lists keep generation order, then creation order. Mutations return the new record's JSON
// or an Error: NotFound when the target (or, for creates, the referenced account/site — the
// message then names the request field) does not exist, Conflict when an install name is taken.

#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "tests/sandbox/prng.h"
#include "tests/sandbox/records.h"

namespace wpe {

class DataSet {
 public:
  struct Page {
    std::size_t total = 0;
    std::vector<std::string> items;  // JSON texts
  };

  explicit DataSet(DataContents contents);

  std::string userJson() const;
  const std::string& userId() const { return user_.id; }
  // accountFilter: only records of that account (unknown account → empty list).
  Page accounts(std::size_t offset, std::size_t limit) const;
  Page sites(const std::optional<std::string>& accountFilter, std::size_t offset,
             std::size_t limit) const;
  Page installs(const std::optional<std::string>& accountFilter, std::size_t offset,
                std::size_t limit) const;
  std::optional<std::string> account(const std::string& id) const;
  std::optional<std::string> site(const std::string& id) const;
  std::optional<std::string> install(const std::string& id) const;  // with wp_version

  Result<std::string> createSite(const std::string& name, const std::string& accountId);
  Result<std::string> renameSite(const std::string& id, const std::string& name);
  Status deleteSite(const std::string& id);  // its installs go with it
  Result<std::string> createInstall(const std::string& name, const std::string& accountId,
                                    const std::string& siteId, const std::string& environment);
  Status deleteInstall(const std::string& id);

 private:
  template <typename Record>
  Page pageOf(const std::vector<Record>& records, const std::optional<std::string>& accountFilter,
              std::size_t offset, std::size_t limit) const;
  void reserializeSite(SiteRecord& site);
  void reindexSites();
  void reindexInstalls();
  std::string nowTimestamp() const;

  mutable std::shared_mutex mutex_;
  UserRecord user_;
  std::vector<AccountRecord> accounts_;
  std::vector<SiteRecord> sites_;
  std::vector<InstallRecord> installs_;
  std::unordered_map<std::string, std::size_t> accountIndex_, siteIndex_, installIndex_;
  std::unordered_map<std::string, std::size_t> installNames_;  // name → index
  Prng prng_;                                                  // ids for created records
};

}  // namespace wpe
