#include "daemon/upstream/upstream_url.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "common/log_escape.h"
#include "common/loopback_host.h"
#include "common/url_host.h"

namespace wpe {

Result<UpstreamUrl> UpstreamUrl::parse(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::BadRequest,
                 "invalid URL '" + escapeForLog(url) + "': " + escapeForLog(e.message()));
  }
  UpstreamUrl out;
  out.scheme = Poco::toLower(uri.getScheme());
  out.host = uri.getHost();
  if (out.scheme != "https" && out.scheme != "http") {
    return Error(ErrorCode::BadRequest,
                 "unsupported URL '" + escapeForLog(url) + "': use an https:// URL");
  }
  if (out.host.empty()) {
    return Error(ErrorCode::BadRequest, "URL '" + escapeForLog(url) + "' has no host");
  }
  if (!isUrlHost(out.host)) {
    return Error(ErrorCode::BadRequest,
                 "URL '" + escapeForLog(url) +
                     "' has an invalid host: use a DNS name, an IPv4 address or an IPv6 "
                     "address in brackets");
  }
  if (out.scheme == "http" && !isLoopbackHost(out.host)) {
    return Error(ErrorCode::BadRequest, "refusing plain http:// to " + escapeForLog(out.host) +
                                            ": only loopback hosts may use http://; use https://");
  }
  out.port = uri.getPort();
  // The request target is taken from the text, not re-encoded by Poco::URI, so a passthrough
  // path like /sites/a%2Fb reaches the API byte for byte. A fragment never goes on the wire.
  const auto authorityStart = url.find("://") + 3;
  const auto targetStart = url.find_first_of("/?#", authorityStart);
  std::string target = targetStart == std::string::npos ? "" : url.substr(targetStart);
  target = target.substr(0, target.find('#'));
  if (target.empty() || target[0] == '?') target.insert(0, "/");
  out.pathAndQuery = target;
  return out;
}

}  // namespace wpe
