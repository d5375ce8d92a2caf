#include "daemon/profiles/api_proxy.h"

#include <Poco/URI.h>

#include "common/list_kind.h"

namespace wpe {
namespace {

// 60 s: a token handed to the API must outlive one slow request.
constexpr std::chrono::seconds kProxyMinValid{60};

bool isWrite(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

ApiProxy::ApiProxy(UpstreamClient& upstream, std::function<void(const std::string&)> requestSync,
                   RequestCoalescer* coalescer)
    : upstream_(upstream), requestSync_(std::move(requestSync)), coalescer_(coalescer) {}

bool ApiProxy::isSafePath(const std::string& rawPath) {
  if (rawPath.empty() || rawPath.front() == '/') return false;
  for (unsigned char c : rawPath) {
    if (c <= 0x20 || c == 0x7f || c == '\\' || c == '#') return false;
  }
  std::string decoded;
  try {
    Poco::URI::decode(rawPath, decoded);
  } catch (const std::exception&) {
    return false;
  }
  // Checked on the decoded form too: "%2e%2e" is ".." to many servers.
  for (const std::string* form : {&rawPath, static_cast<const std::string*>(&decoded)}) {
    std::size_t start = 0;
    while (start <= form->size()) {
      std::size_t end = form->find('/', start);
      if (end == std::string::npos) end = form->size();
      std::string segment = form->substr(start, end - start);
      if (segment == "." || segment == "..") return false;
      if (segment.find('\\') != std::string::npos) return false;
      start = end + 1;
    }
  }
  return true;
}

Result<HttpResponse> ApiProxy::forward(Profile& profile, const ProxyRequest& request) {
  if (!isSafePath(request.rawPath)) {
    return Error(ErrorCode::BadRequest,
                 "the API path must be relative to api_url, e.g. /v1/profiles/" + profile.name() +
                     "/api/sites, without '.' or '..' segments");
  }
  auto authorizer = profile.authorizer();
  if (!authorizer) return authorizer.error();
  auto value = (*authorizer)->authorization(kProxyMinValid);
  if (!value) return value.error();

  HttpRequest upstreamRequest;
  upstreamRequest.method = request.method;
  upstreamRequest.url = profile.config().apiUrl + "/" + request.rawPath +
                        (request.rawQuery.empty() ? "" : "?" + request.rawQuery);
  upstreamRequest.body = request.body;
  upstreamRequest.contentType = request.contentType;
  upstreamRequest.authorization = *value;
  TransportOptions options = profile.transportOptions();

  auto send = [&]() -> Result<HttpResponse> {
    auto response = upstream_.exchange(upstreamRequest, options);
    if (response && response->status == 401) {
      // One refresh, one retry: an OAuth token can be revoked or expire early upstream. For
      // keys and passwords afterUnauthorized marks the profile login_required and the API's
      // own 401 is passed back unchanged.
      auto renewed = (*authorizer)->afterUnauthorized(*value);
      if (renewed) {
        upstreamRequest.authorization = *renewed;
        response = upstream_.exchange(upstreamRequest, options);
      }
    }
    return response;
  };
  // Only a bodiless GET is shared: reads without side effects, whose answer is the same for
  // every caller of this profile. The key holds no secret (the profile stands for it).
  const bool shareable = coalescer_ != nullptr && request.method == "GET" && request.body.empty();
  auto response =
      shareable
          ? coalescer_->run(profile.name(),
                            request.rawPath + "?" + request.rawQuery + "\n" + request.accept, send)
          : send();
  if (!response) return response;

  if (isWrite(request.method) && response->status >= 200 && response->status < 300) {
    const std::string& path = request.rawPath;
    bool sites = path.rfind("sites", 0) == 0;
    bool installs = path.rfind("installs", 0) == 0;
    if (sites || installs) {
      // Sites embed their installs and deleting a site removes its installs: a write to
      // either changes both lists.
      profile.catalog().markStale(ListKind::Sites);
      profile.catalog().markStale(ListKind::Installs);
      if (requestSync_) requestSync_(profile.name());
    }
  }
  return response;
}

}  // namespace wpe
