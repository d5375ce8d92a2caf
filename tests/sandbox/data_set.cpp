#include "tests/sandbox/data_set.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>

namespace wpe {
namespace {

template <typename Record>
bool matches(const Record& record, const std::optional<std::string>& accountFilter) {
  if (!accountFilter) return true;
  if constexpr (std::is_same_v<Record, AccountRecord>) {
    return record.id == *accountFilter;
  } else {
    return record.accountId == *accountFilter;
  }
}

}  // namespace

DataSet::DataSet(DataContents contents)
    : user_(std::move(contents.user)),
      accounts_(std::move(contents.accounts)),
      sites_(std::move(contents.sites)),
      installs_(std::move(contents.installs)),
      prng_(
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) {
  for (std::size_t i = 0; i < accounts_.size(); ++i) accountIndex_[accounts_[i].id] = i;
  reindexSites();
  reindexInstalls();
}

void DataSet::reindexSites() {
  siteIndex_.clear();
  siteIndex_.reserve(sites_.size());
  for (std::size_t i = 0; i < sites_.size(); ++i) siteIndex_[sites_[i].id] = i;
}

void DataSet::reindexInstalls() {
  installIndex_.clear();
  installNames_.clear();
  installIndex_.reserve(installs_.size());
  installNames_.reserve(installs_.size());
  for (std::size_t i = 0; i < installs_.size(); ++i) {
    installIndex_[installs_[i].id] = i;
    installNames_[installs_[i].name] = i;
  }
}

std::string DataSet::userJson() const { return user_.json; }

template <typename Record>
DataSet::Page DataSet::pageOf(const std::vector<Record>& records,
                              const std::optional<std::string>& accountFilter, std::size_t offset,
                              std::size_t limit) const {
  Page page;
  for (const auto& record : records) {
    if (!matches(record, accountFilter)) continue;
    if (page.total >= offset && page.items.size() < limit) page.items.push_back(record.json);
    ++page.total;
  }
  return page;
}

DataSet::Page DataSet::accounts(std::size_t offset, std::size_t limit) const {
  std::shared_lock lock(mutex_);
  return pageOf(accounts_, std::nullopt, offset, limit);
}

DataSet::Page DataSet::sites(const std::optional<std::string>& accountFilter, std::size_t offset,
                             std::size_t limit) const {
  std::shared_lock lock(mutex_);
  return pageOf(sites_, accountFilter, offset, limit);
}

DataSet::Page DataSet::installs(const std::optional<std::string>& accountFilter, std::size_t offset,
                                std::size_t limit) const {
  std::shared_lock lock(mutex_);
  return pageOf(installs_, accountFilter, offset, limit);
}

std::optional<std::string> DataSet::account(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = accountIndex_.find(id);
  if (it == accountIndex_.end()) return std::nullopt;
  return accounts_[it->second].json;
}

std::optional<std::string> DataSet::site(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = siteIndex_.find(id);
  if (it == siteIndex_.end()) return std::nullopt;
  return sites_[it->second].json;
}

std::optional<std::string> DataSet::install(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = installIndex_.find(id);
  if (it == installIndex_.end()) return std::nullopt;
  return installs_[it->second].singleJson();
}

std::string DataSet::nowTimestamp() const {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(millis % 1000));
  return out;
}

void DataSet::reserializeSite(SiteRecord& site) {
  std::vector<const InstallRecord*> embedded;
  for (const auto& id : site.installIds) embedded.push_back(&installs_[installIndex_.at(id)]);
  site.serialize(embedded);
}

Result<std::string> DataSet::createSite(const std::string& name, const std::string& accountId) {
  std::unique_lock lock(mutex_);
  if (!accountIndex_.count(accountId)) return Error(ErrorCode::NotFound, "account_id");
  SiteRecord site;
  site.id = prng_.uuid4();
  site.name = name;
  site.accountId = accountId;
  site.createdAt = nowTimestamp();
  site.serialize({});
  siteIndex_[site.id] = sites_.size();
  sites_.push_back(std::move(site));
  return sites_.back().json;
}

Result<std::string> DataSet::renameSite(const std::string& id, const std::string& name) {
  std::unique_lock lock(mutex_);
  auto it = siteIndex_.find(id);
  if (it == siteIndex_.end()) return Error(ErrorCode::NotFound, "site");
  SiteRecord& site = sites_[it->second];
  site.name = name;
  reserializeSite(site);
  return site.json;
}

Status DataSet::deleteSite(const std::string& id) {
  std::unique_lock lock(mutex_);
  auto it = siteIndex_.find(id);
  if (it == siteIndex_.end()) return Error(ErrorCode::NotFound, "site");
  installs_.erase(
      std::remove_if(installs_.begin(), installs_.end(),
                     [&](const InstallRecord& install) { return install.siteId == id; }),
      installs_.end());
  sites_.erase(sites_.begin() + static_cast<std::ptrdiff_t>(it->second));
  reindexSites();
  reindexInstalls();
  return {};
}

Result<std::string> DataSet::createInstall(const std::string& name, const std::string& accountId,
                                           const std::string& siteId,
                                           const std::string& environment) {
  std::unique_lock lock(mutex_);
  if (!accountIndex_.count(accountId)) return Error(ErrorCode::NotFound, "account_id");
  auto siteIt = siteIndex_.find(siteId);
  if (siteIt == siteIndex_.end() || sites_[siteIt->second].accountId != accountId)
    return Error(ErrorCode::NotFound, "site_id");
  if (installNames_.count(name)) return Error(ErrorCode::Conflict, "name");
  InstallRecord install;
  install.id = prng_.uuid4();
  install.name = name;
  install.accountId = accountId;
  install.siteId = siteId;
  install.environment = environment;
  install.cname = name + ".wpengine.com";
  install.phpVersion = "8.2";
  install.primaryDomain = install.cname;
  install.createdAt = nowTimestamp();
  install.wpVersion = "6.8.1";
  install.serialize();
  installIndex_[install.id] = installs_.size();
  installNames_[install.name] = installs_.size();
  installs_.push_back(std::move(install));
  SiteRecord& site = sites_[siteIt->second];
  site.installIds.push_back(installs_.back().id);
  reserializeSite(site);
  return installs_.back().json;
}

Status DataSet::deleteInstall(const std::string& id) {
  std::unique_lock lock(mutex_);
  auto it = installIndex_.find(id);
  if (it == installIndex_.end()) return Error(ErrorCode::NotFound, "install");
  const std::string siteId = installs_[it->second].siteId;
  installs_.erase(installs_.begin() + static_cast<std::ptrdiff_t>(it->second));
  reindexInstalls();
  auto siteIt = siteIndex_.find(siteId);
  if (siteIt != siteIndex_.end()) {
    auto& ids = sites_[siteIt->second].installIds;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    reserializeSite(sites_[siteIt->second]);
  }
  return {};
}

}  // namespace wpe
