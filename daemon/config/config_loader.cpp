#include "daemon/config/config_loader.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "common/credential_text.h"
#include "common/log_escape.h"
#include "common/loopback_host.h"
#include "common/url_host.h"
#include "common/profile_name.h"

namespace wpe {
namespace {

using Ini = Poco::Util::IniFileConfiguration;

constexpr std::size_t kMaxConfigBytes = 1024 * 1024;  // a config is a few hundred bytes
constexpr std::chrono::seconds kMinSyncInterval{60};  // gentler on the API than that is silly
constexpr std::chrono::seconds kMaxSyncInterval{86400};
constexpr std::chrono::seconds kMaxUpstreamTimeout{600};

const std::set<std::string> kDaemonKeys{"credential_store",  "sync_interval",
                                        "log_level",         "cache_dir",
                                        "on_login_required", "upstream_timeout"};
const std::set<std::string> kProfileKeys{
    "auth",       "api_url",   "user",  "authorize_url", "token_url",
    "revoke_url", "client_id", "scope", "redirect_port", "ca_file"};
const std::set<std::string> kLogLevels{"none",   "fatal",       "critical", "error", "warning",
                                       "notice", "information", "debug",    "trace"};

std::string quoted(const std::string& value) { return "\"" + escapeForLog(value, 120) + "\""; }

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Where each section header and each key is in the file (1-based; a key set twice: its last
// line, whose value POCO keeps), so an error names the line an editor jumps to. POCO's
// IniFileConfiguration does not keep line numbers.
class LineIndex {
 public:
  void addSection(const std::string& section, int line) { sections_.emplace(section, line); }
  void addKey(const std::string& section, const std::string& key, int line) {
    keys_[section + '\n' + key] = line;
  }
  // 0 when unknown.
  int section(const std::string& section) const {
    auto it = sections_.find(section);
    return it == sections_.end() ? 0 : it->second;
  }
  int key(const std::string& section, const std::string& key) const {
    auto it = keys_.find(section + '\n' + key);
    return it == keys_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int> sections_;  // the first header of each name
  std::map<std::string, int> keys_;
};

// Annotated files carry inline "; comment"s (docs/configuration.md), which POCO would keep as
// part of the value. Strip them (a ';' after whitespace), and accept '#' comment lines as well.
// Section headers are collected here too: POCO forgets a section that has no keys.
std::string preprocess(const std::string& text, std::vector<std::string>& sections,
                       LineIndex& lines) {
  std::istringstream in(text);
  std::string line, out;
  std::string section;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == ';' || line[first] == '#') {
      out += '\n';
      continue;
    }
    if (line[first] == '[') {
      auto close = line.find(']', first);
      std::string name = line.substr(
          first + 1, close == std::string::npos ? std::string::npos : close - first - 1);
      sections.push_back(name);
      section = Poco::trim(name);  // as POCO names the section of the keys below
      lines.addSection(name, number);
      lines.addSection(section, number);
    } else {
      for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == ';' && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
          line.erase(i);
          break;
        }
      }
      if (auto equals = line.find('='); equals != std::string::npos) {
        lines.addKey(section, Poco::trim(line.substr(0, equals)), number);  // as POCO does
      }
    }
    out += line + '\n';
  }
  return out;
}

// Builds the messages for one file; every error names file, line (when it is one line's),
// section, key and value: "PATH:LINE: [section] key = "value": what is allowed".
class Checker {
 public:
  Checker(const std::string& source, const LineIndex& lines, Poco::Logger& logger)
      : source_(source), lines_(lines), logger_(logger) {}

  Error bad(const std::string& section, const std::string& key, const std::string& value,
            const std::string& allowed) const {
    return Error(ErrorCode::BadRequest, at(lines_.key(section, key)) + "[" + section + "] " +
                                            key + " = " + quoted(value) + ": " + allowed);
  }
  // About a key as a whole (unknown, misplaced).
  Error badKey(const std::string& section, const std::string& key, const std::string& what) const {
    return Error(ErrorCode::BadRequest, at(lines_.key(section, key)) + what);
  }
  // About a section (unknown, misnamed, missing a key).
  Error badSection(const std::string& section, const std::string& what) const {
    return Error(ErrorCode::BadRequest, at(lines_.section(section)) + what);
  }
  // About the file as a whole.
  Error badFile(const std::string& what) const {
    return Error(ErrorCode::BadRequest, source_ + ": " + what);
  }

  // An endpoint: https://, or http:// to a loopback host (warned). No credentials, no
  // fragment in it. Returned exactly as written: RFC 6749 §3.1 uses an endpoint URI as given,
  // query included, and servers such as Django OAuth Toolkit answer /o/token (no slash) with
  // 301/404. Only api_url, a base that paths are joined to, loses its trailing slashes; the
  // caller does that.
  Result<std::string> endpoint(const std::string& section, const std::string& key,
                               const std::string& value) const {
    static const char* kAllowed =
        "must be an https:// URL (http:// only for loopback hosts: 127.0.0.0/8, ::1, localhost)";
    Poco::URI uri;
    try {
      uri = Poco::URI(value);
    } catch (const Poco::Exception&) {
      return bad(section, key, value, kAllowed);
    }
    if (uri.getHost().empty()) return bad(section, key, value, kAllowed);
    if (!isUrlHost(uri.getHost())) {
      return bad(section, key, value,
                 "has an invalid host: use a DNS name, an IPv4 address or an IPv6 address in "
                 "brackets");
    }
    if (!uri.getUserInfo().empty()) {
      return bad(section, key, value,
                 "must not carry user:password@ (secrets live in the keyring)");
    }
    // Checked on the text: Poco::URI reports "…/token#" as having no fragment.
    if (value.find('#') != std::string::npos) {
      return bad(section, key, value,
                 "must not have a #fragment (RFC 6749 §3.1); remove the # and what follows");
    }
    if (uri.getScheme() == "http") {
      if (!isLoopbackHost(uri.getHost())) return bad(section, key, value, kAllowed);
      logger_.warning("%s: [%s] %s uses plain http:// to a loopback host: %s", source_, section,
                      key, escapeForLog(value));
    } else if (uri.getScheme() != "https") {
      return bad(section, key, value, kAllowed);
    }
    return value;
  }

 private:
  std::string at(int line) const {
    return source_ + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
  }

  const std::string& source_;
  const LineIndex& lines_;
  Poco::Logger& logger_;
};

Result<long> parseInteger(const std::string& value) {
  if (value.empty() || value.size() > 9 ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return Error(ErrorCode::BadRequest, "not a number");
  }
  return std::stol(value);
}

Status readDaemon(const Ini& ini, const Checker& check, DaemonConfig& config) {
  Ini::Keys keys;
  ini.keys("daemon", keys);
  for (const auto& key : keys) {
    if (kDaemonKeys.count(key) == 0) {
      return check.badKey("daemon", key,
                          "unknown key \"" + escapeForLog(key) + "\" in [daemon] (known: " +
                              joined(kDaemonKeys) + ")");
    }
    const std::string value = ini.getRawString("daemon." + key, "");
    if (value.empty()) continue;  // an empty value means "the default"
    if (key == "credential_store") {
      if (value == "keyring")
        config.credentialStore = CredentialStoreKind::Keyring;
      else if (value == "memory")
        config.credentialStore = CredentialStoreKind::Memory;
      else
        return check.bad("daemon", key, value, "must be keyring or memory");
    } else if (key == "sync_interval") {
      auto n = parseInteger(value);
      if (!n || n.value() < kMinSyncInterval.count() || n.value() > kMaxSyncInterval.count()) {
        return check.bad("daemon", key, value,
                         "must be a whole number of seconds from 60 to 86400");
      }
      config.syncInterval = std::chrono::seconds(n.value());
    } else if (key == "upstream_timeout") {
      auto n = parseInteger(value);
      if (!n || n.value() < 1 || n.value() > kMaxUpstreamTimeout.count()) {
        return check.bad("daemon", key, value, "must be a whole number of seconds from 1 to 600");
      }
      config.upstreamTimeout = std::chrono::seconds(n.value());
    } else if (key == "log_level") {
      if (kLogLevels.count(value) == 0) {
        return check.bad("daemon", key, value, "must be one of " + joined(kLogLevels));
      }
      config.logLevel = value;
    } else if (key == "cache_dir") {
      if (value.front() != '/') return check.bad("daemon", key, value, "must be an absolute path");
      config.cacheDir = value;
    } else if (key == "on_login_required") {
      // argv split on whitespace and run without a shell: no quoting, no expansion.
      std::istringstream words(value);
      std::string word;
      while (words >> word) config.onLoginRequired.push_back(word);
    }
  }
  return {};
}

Status readProfile(const Ini& ini, const Checker& check, const std::string& name,
                   ProfileConfig& profile) {
  const std::string section = "profile." + name;
  profile.name = name;
  Ini::Keys keys;
  ini.keys(section, keys);
  for (const auto& key : keys) {
    if (kProfileKeys.count(key) == 0) {
      return check.badKey(section, key,
                          "unknown key \"" + escapeForLog(key) + "\" in [" + section +
                              "] (known: " + joined(kProfileKeys) + ")");
    }
  }
  auto get = [&](const char* key) { return ini.getRawString(section + "." + key, ""); };
  if (auto auth = get("auth"); !auth.empty()) {
    auto kind = authKindFromName(auth);
    if (!kind) return check.bad(section, "auth", auth, "must be one of api_key, basic, oauth");
    profile.auth = *kind;
  }
  struct UrlKey {
    const char* key;
    std::string* field;
  };
  for (UrlKey u :
       {UrlKey{"api_url", &profile.apiUrl}, UrlKey{"authorize_url", &profile.authorizeUrl},
        UrlKey{"token_url", &profile.tokenUrl}, UrlKey{"revoke_url", &profile.revokeUrl}}) {
    auto value = get(u.key);
    if (value.empty()) continue;
    auto url = check.endpoint(section, u.key, value);
    if (!url) return url.error();
    *u.field = url.value();
    if (u.field == &profile.apiUrl) {
      // The base of "{api_url}/sites": joined with one '/'.
      while (u.field->size() > 1 && u.field->back() == '/') u.field->pop_back();
    }
  }
  if (auto user = get("user"); !user.empty()) {
    // The one rule for credentials (credential_text.h): a ':' would end the id in Basic auth.
    if (auto problem = credentialTextProblem(user, CredentialPart::BasicUserId)) {
      return check.bad(section, "user", user,
                       "the API user id " + *problem +
                           "; copy it from the API Access page of the WP Engine User Portal");
    }
    profile.user = user;
  }
  if (auto clientId = get("client_id"); !clientId.empty()) profile.clientId = clientId;
  if (auto scope = get("scope"); !scope.empty()) profile.scope = scope;
  if (auto port = get("redirect_port"); !port.empty()) {
    auto n = parseInteger(port);
    if (!n || n.value() > 65535) {
      return check.bad(section, "redirect_port", port,
                       "must be a port number from 0 to 65535 (0: any)");
    }
    profile.redirectPort = static_cast<std::uint16_t>(n.value());
  }
  if (auto caFile = get("ca_file"); !caFile.empty()) {
    struct stat st {};
    if (::stat(caFile.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        ::access(caFile.c_str(), R_OK) != 0) {
      return check.bad(section, "ca_file", caFile, "must name a readable PEM file");
    }
    profile.caFile = caFile;
  }
  if (profile.auth == AuthKind::Basic && profile.user.empty()) {
    return check.badSection(section,
                            "[" + section + "] auth = basic needs user = YOUR_API_USER_ID");
  }
  if (profile.auth == AuthKind::OAuth && profile.clientId.empty()) {
    return check.badSection(section,
                            "[" + section + "] auth = oauth needs client_id = YOUR_CLIENT_ID");
  }
  return {};
}

}  // namespace

Result<DaemonConfig> ConfigLoader::load(const ConfigLocation& location) const {
  std::ifstream in(location.path, std::ios::binary);
  if (!in) {
    int err = errno;
    if (err == ENOENT && !location.explicitlyGiven) {
      DaemonConfig defaults;
      defaults.profiles.emplace("default", ProfileConfig{});
      return defaults;
    }
    return Error(ErrorCode::BadRequest, "cannot read config file " + escapeForLog(location.path) +
                                            ": " + std::strerror(err));
  }
  std::string text;
  char chunk[8192];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      return Error(ErrorCode::BadRequest, escapeForLog(location.path) + ": larger than 1 MiB");
    }
  }
  auto config = parse(text, location.path);
  if (config) config->sourcePath = location.path;
  return config;
}

Result<DaemonConfig> ConfigLoader::parse(const std::string& text,
                                         const std::string& sourceName) const {
  std::vector<std::string> sections;
  LineIndex lines;
  std::istringstream cleaned(preprocess(text, sections, lines));
  Checker check(sourceName, lines, logger_);
  Poco::AutoPtr<Ini> ini;
  try {
    ini = new Ini(cleaned);  // AutoPtr takes ownership
  } catch (const Poco::Exception& e) {
    return check.badFile("cannot parse: " + e.displayText());
  }
  DaemonConfig config;
  std::set<std::string> profileNames;
  for (const auto& section : sections) {
    if (section == "daemon") continue;
    if (section.rfind("profile.", 0) == 0) {
      std::string name = section.substr(8);
      if (!isValidProfileName(name)) {
        return check.badSection(section, "invalid profile name in [" + escapeForLog(section) +
                                             "]: names are 1 to 64 of A-Z a-z 0-9 _ -");
      }
      profileNames.insert(name);
      continue;
    }
    return check.badSection(section, "unknown section [" + escapeForLog(section) +
                                         "] (known: [daemon], [profile.NAME])");
  }
  Ini::Keys top;
  ini->keys(top);
  for (const auto& key : top) {
    if (key == "daemon") continue;
    if (key == "profile") {
      Ini::Keys names;
      ini->keys("profile", names);
      for (const auto& n : names) {
        if (profileNames.count(n) == 0) {
          return check.badKey("", "profile." + n,
                              "key \"profile." + escapeForLog(n) +
                                  "\" outside a [profile.NAME] section");
        }
      }
      continue;
    }
    return check.badKey("", key,
                        "unknown key or section \"" + escapeForLog(key) +
                            "\" (keys belong in [daemon] or [profile.NAME])");
  }
  if (auto ok = readDaemon(*ini, check, config); !ok) return ok.error();
  profileNames.insert("default");
  for (const auto& name : profileNames) {
    ProfileConfig profile;
    if (auto ok = readProfile(*ini, check, name, profile); !ok) return ok.error();
    config.profiles.emplace(name, std::move(profile));
  }
  return config;
}

}  // namespace wpe
