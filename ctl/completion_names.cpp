#include "ctl/completion_names.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "common/profile_name.h"
#include "common/unix_http_client.h"
#include "common/wire.h"
#include "common/json_value.h"

namespace wpe::ctl {

CompletionNames::CompletionNames(std::string socketPath, std::string profile, EnvLookup env,
                                 std::chrono::milliseconds timeout)
    : socketPath_(std::move(socketPath)),
      profile_(std::move(profile)),
      env_(std::move(env)),
      timeout_(timeout) {}

bool CompletionNames::knownKind(const std::string& kind) {
  return kind == "profiles" || kind == "sites" || kind == "installs";
}

std::vector<std::string> CompletionNames::fromDaemon(const std::string& kind,
                                                     bool& answered) const {
  answered = false;
  std::vector<std::string> names;
  if (socketPath_.empty()) return names;
  UnixHttpClient client(socketPath_, timeout_);
  std::string target =
      kind == "profiles" ? "/v1/profiles" : "/v1/profiles/" + profile_ + "/" + kind;
  auto reply = client.request("GET", target);
  if (!reply || reply->status != 200) return names;
  if (kind == "profiles") {
    auto list = profileListFromJson(reply->body);
    if (!list) return names;
    for (const auto& p : list.value()) names.push_back(p.name);
  } else {
    auto doc = JsonValue::parse(reply->body);
    if (!doc) return names;
    for (const auto& item : (*doc)["results"].items()) {
      const std::string& name = item["name"].text();
      // One name a line: a name with a line break could not be offered as one word.
      if (!name.empty() && name.find_first_of("\r\n") == std::string::npos) names.push_back(name);
    }
  }
  answered = true;
  return names;
}

std::vector<std::string> CompletionNames::profilesFromConfig() const {
  std::vector<std::string> names{"default"};
  auto location = resolveConfigPath(std::nullopt, env_);
  if (!location) return names;
  // stdio, not <fstream>: wpectl builds no standard stream (ctl/output.h says why).
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(location->path.c_str(), "re"), &std::fclose);
  if (!in) return names;
  char* buffer = nullptr;
  std::size_t capacity = 0;
  ssize_t length;
  while ((length = ::getline(&buffer, &capacity, in.get())) >= 0) {
    std::string line(buffer, static_cast<std::size_t>(length));
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 9, "[profile.") != 0) continue;
    auto end = line.find(']', start);
    if (end == std::string::npos) continue;
    std::string name = line.substr(start + 9, end - start - 9);
    if (isValidProfileName(name)) names.push_back(name);
  }
  std::free(buffer);
  return names;
}

std::vector<std::string> CompletionNames::names(const std::string& kind,
                                                const std::string& prefix) const {
  if (!knownKind(kind)) return {};
  bool answered = false;
  auto all = fromDaemon(kind, answered);
  if (!answered && kind == "profiles") all = profilesFromConfig();
  std::set<std::string> matching;
  for (const auto& n : all) {
    if (n.compare(0, prefix.size(), prefix) == 0) matching.insert(n);
  }
  return {matching.begin(), matching.end()};
}

}  // namespace wpe::ctl
