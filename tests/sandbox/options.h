#pragma once
// Options: wpe-sandbox's command line.
//   wpe-sandbox --state-dir DIR [--listen 127.0.0.1:0] [--sites N] [--token-ttl SECONDS]
//               [--latency-ms MS] [--oauth-path-style plain|slash] [--oauth-query NAME=VALUE]
// parse() returns a BadRequest error whose message is meant for stderr (usage included).

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "common/result.h"
#include "tests/sandbox/oauth_endpoints.h"

namespace wpe {

struct Options {
  std::string stateDir;
  std::string listen = "127.0.0.1:0";
  int sites = 25;
  std::chrono::seconds tokenTtl{3600};
  std::chrono::milliseconds latency{0};
  OAuthEndpoints::Style oauthStyle = OAuthEndpoints::Style::Plain;
  std::optional<std::pair<std::string, std::string>> oauthQuery;  // required on every endpoint

  static constexpr int kMaxSites = 50000;

  static Result<Options> parse(int argc, char** argv);
  static const char* usage();
};

}  // namespace wpe
