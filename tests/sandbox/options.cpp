#include "tests/sandbox/options.h"

#include <cstdlib>
#include <string_view>

namespace wpe {
namespace {

bool parseInt(const std::string& text, long min, long max, long& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value < min || value > max) return false;
  out = value;
  return true;
}

}  // namespace

const char* Options::usage() {
  return "usage: wpe-sandbox --state-dir DIR [--listen 127.0.0.1:0] [--sites N] "
         "[--token-ttl SECONDS] [--latency-ms MS] [--oauth-path-style plain|slash] "
         "[--oauth-query NAME=VALUE]";
}

Result<Options> Options::parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return Error(ErrorCode::BadRequest, usage());
    if (i + 1 >= argc)
      return Error(ErrorCode::BadRequest, std::string(arg) + " needs a value\n" + usage());
    std::string value = argv[++i];
    long number = 0;
    if (arg == "--state-dir") {
      options.stateDir = value;
    } else if (arg == "--listen") {
      options.listen = value;
    } else if (arg == "--sites") {
      if (!parseInt(value, 0, kMaxSites, number))
        return Error(ErrorCode::BadRequest, "--sites must be an integer from 0 to 50000");
      options.sites = static_cast<int>(number);
    } else if (arg == "--token-ttl") {
      if (!parseInt(value, 1, 10L * 365 * 24 * 3600, number))
        return Error(ErrorCode::BadRequest, "--token-ttl must be a positive number of seconds");
      options.tokenTtl = std::chrono::seconds(number);
    } else if (arg == "--latency-ms") {
      if (!parseInt(value, 0, 600000, number))
        return Error(ErrorCode::BadRequest, "--latency-ms must be an integer from 0 to 600000");
      options.latency = std::chrono::milliseconds(number);
    } else if (arg == "--oauth-path-style") {
      if (value == "plain")
        options.oauthStyle = OAuthEndpoints::Style::Plain;
      else if (value == "slash")
        options.oauthStyle = OAuthEndpoints::Style::Slash;
      else
        return Error(ErrorCode::BadRequest, "--oauth-path-style must be plain or slash");
    } else if (arg == "--oauth-query") {
      const auto eq = value.find('=');
      if (eq == 0 || eq == std::string::npos || eq + 1 == value.size() ||
          value.find_first_of("&#?% ") != std::string::npos)
        return Error(ErrorCode::BadRequest,
                     "--oauth-query must be NAME=VALUE (no &, #, ?, % or space), e.g. tenant=wpe");
      options.oauthQuery = std::make_pair(value.substr(0, eq), value.substr(eq + 1));
    } else {
      return Error(ErrorCode::BadRequest, "unknown option " + std::string(arg) + "\n" + usage());
    }
  }
  if (options.stateDir.empty())
    return Error(ErrorCode::BadRequest, std::string("--state-dir is required\n") + usage());
  return options;
}

}  // namespace wpe
