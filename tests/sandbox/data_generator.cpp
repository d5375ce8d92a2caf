#include "tests/sandbox/data_generator.h"

#include <array>
#include <cctype>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "tests/sandbox/install_namer.h"
#include "tests/sandbox/prng.h"

namespace wpe {
namespace {

constexpr std::array kAdjectives = {
    "Blue",     "Golden",   "Silver",  "Green",   "Red",     "Bright", "Quiet",  "Happy",  "Swift",
    "Northern", "Southern", "Coastal", "Urban",   "Rustic",  "Modern", "Clever", "Bold",   "Little",
    "Grand",    "Crimson",  "Sunny",   "Misty",   "Wild",    "Noble",  "Cedar",  "Maple",  "Iron",
    "Lucky",    "Honest",   "Summit",  "Pacific", "Prairie", "Harbor", "Velvet", "Copper", "Amber"};
constexpr std::array kNouns = {
    "Harbor",  "Oak",    "River",  "Pine",    "Stone",  "Meadow", "Bridge", "Valley",  "Lantern",
    "Fox",     "Falcon", "Willow", "Anchor",  "Summit", "Garden", "Forge",  "Compass", "Orchard",
    "Beacon",  "Canyon", "Lake",   "Prairie", "Ridge",  "Torque", "Pixel",  "Maple",   "Harvest",
    "Thistle", "Bay",    "Spruce", "Hollow",  "Atlas",  "Comet",  "Rover",  "Sparrow", "Tide"};
constexpr std::array kBusinessWords = {
    "Dental",     "Magazine", "Bakery",  "Studio",      "Law",        "Coffee",
    "Fitness",    "Realty",   "Clinic",  "Books",       "Media",      "Labs",
    "Outfitters", "Cafe",     "Design",  "Photography", "Consulting", "Brewing",
    "Travel",     "Pets",     "Yoga",    "Garage",      "Florist",    "Academy",
    "Insurance",  "Kitchen",  "Records", "Gallery",     "Apparel",    "Builders"};
constexpr std::array kGroups = {"Overdue", "Clients", "Internal", "Agency", "Marketing", "Archive"};
constexpr std::array kTags = {"wordpress", "client",   "ecommerce",   "blog",         "migrated",
                              "vip",       "headless", "woocommerce", "staging-only", "legacy"};
constexpr std::array kPhpVersions = {"7.4", "8.0", "8.1", "8.2", "8.3"};
constexpr std::array kWpVersions = {"6.4.5", "6.5.5", "6.6.2", "6.7.1", "6.8.1"};
constexpr std::array kEnvironments = {"production", "staging", "development"};
constexpr std::array kEnvSuffix = {"", "stg", "dev"};

template <typename A>
const char* pick(Prng& prng, const A& words) {
  return words[prng.below(words.size())];
}

std::string lowerLetters(const std::string& text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// RFC 3339 with milliseconds, UTC.
std::string timestamp(std::int64_t epochMillis) {
  std::time_t seconds = static_cast<std::time_t>(epochMillis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(epochMillis % 1000));
  return out;
}

std::string siteName(Prng& prng) {
  const auto shape = prng.below(100);
  if (shape < 60)
    return std::string(pick(prng, kAdjectives)) + " " + pick(prng, kNouns) + " " +
           pick(prng, kBusinessWords);
  if (shape < 85) return std::string(pick(prng, kNouns)) + " " + pick(prng, kBusinessWords);
  return std::string(pick(prng, kAdjectives)) + " " + pick(prng, kNouns);
}

}  // namespace

DataContents DataGenerator::generate(int siteCount, std::uint64_t seed) const {
  Prng prng(seed);
  DataContents data;
  data.user.id = prng.uuid4();
  data.user.email = "joe.sandbox@example.com";
  data.user.firstName = "Joe";
  data.user.lastName = "Sandbox";
  data.user.serialize();

  const int accountCount = std::max(3, (siteCount + 39) / 40);
  std::unordered_set<std::string> accountNames;
  data.accounts.reserve(accountCount);
  for (int i = 0; i < accountCount; ++i) {
    AccountRecord account;
    account.id = prng.uuid4();
    account.nickname = std::string(pick(prng, kNouns)) + " " + pick(prng, kBusinessWords);
    account.name = lowerLetters(account.nickname);
    if (!accountNames.insert(account.name).second) {
      account.name += std::to_string(i);
      accountNames.insert(account.name);
    }
    account.serialize();
    data.accounts.push_back(std::move(account));
  }

  // 2016-01-01 .. 2025-10-01, in milliseconds.
  constexpr std::int64_t kStart = 1451606400000LL;
  constexpr std::int64_t kSpan = 1759276800000LL - kStart;
  InstallNamer namer(static_cast<std::size_t>(siteCount) * 2);
  std::unordered_map<std::string, int> domainUses;
  domainUses.reserve(static_cast<std::size_t>(siteCount));
  data.sites.reserve(siteCount);
  data.installs.reserve(static_cast<std::size_t>(siteCount) * 2);
  for (int i = 0; i < siteCount; ++i) {
    SiteRecord site;
    site.id = prng.uuid4();
    site.name = siteName(prng);
    site.accountId = data.accounts[prng.below(data.accounts.size())].id;
    const std::int64_t created = kStart + static_cast<std::int64_t>(prng.below(kSpan));
    site.createdAt = timestamp(created);
    if (!prng.chance(40)) site.groupName = pick(prng, kGroups);
    const auto tagCount = prng.below(4);
    for (std::uint64_t t = 0; t < tagCount; ++t) {
      std::string tag = pick(prng, kTags);
      bool seen = false;
      for (const auto& existing : site.tags) seen = seen || existing == tag;
      if (!seen) site.tags.push_back(std::move(tag));
    }
    site.transferable = prng.chance(10);

    const std::string letters = lowerLetters(site.name);
    int& uses = domainUses[letters];
    const std::string domain = "www." + letters + (uses++ ? std::to_string(uses) : "") + ".com";
    const auto installCount = 1 + prng.below(3);
    std::vector<const InstallRecord*> embedded;
    const std::size_t firstInstall = data.installs.size();
    for (std::uint64_t e = 0; e < installCount; ++e) {
      InstallRecord install;
      install.id = prng.uuid4();
      install.name = namer.make(letters, kEnvSuffix[e]);
      install.accountId = site.accountId;
      install.siteId = site.id;
      install.environment = kEnvironments[e];
      install.cname = install.name + ".wpengine.com";
      install.phpVersion = pick(prng, kPhpVersions);
      install.primaryDomain = e == 0 ? domain : install.cname;
      install.createdAt =
          timestamp(created + static_cast<std::int64_t>(e * 86400000ULL + prng.below(3600000)));
      install.wpVersion = pick(prng, kWpVersions);
      install.serialize();
      site.installIds.push_back(install.id);
      data.installs.push_back(std::move(install));
    }
    for (std::size_t k = firstInstall; k < data.installs.size(); ++k)
      embedded.push_back(&data.installs[k]);
    site.serialize(embedded);
    data.sites.push_back(std::move(site));
  }
  return data;
}

}  // namespace wpe
