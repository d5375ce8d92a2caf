#include "tests/sandbox/oauth_endpoints.h"

#include <Poco/URI.h>

namespace wpe {
namespace {

std::string encodeComponent(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

}  // namespace

OAuthEndpoints::OAuthEndpoints(Style style,
                               std::optional<std::pair<std::string, std::string>> requiredParam)
    : style_(style), requiredParam_(std::move(requiredParam)) {
  if (style_ == Style::Slash) {
    // The paths Django OAuth Toolkit publishes (oauth2_provider/urls.py).
    authorize_ = "/o/authorize/";
    token_ = "/o/token/";
    revoke_ = "/o/revoke_token/";
  }
}

OAuthEndpoints::Which OAuthEndpoints::match(const std::string& path) const {
  if (path == authorize_) return Which::Authorize;
  if (path == token_) return Which::Token;
  if (path == revoke_) return Which::Revoke;
  return Which::None;
}

std::optional<std::string> OAuthEndpoints::slashRedirect(const SandboxRequest& request) const {
  if (style_ != Style::Slash || request.method != "GET") return std::nullopt;
  if (match(request.path + "/") == Which::None) return std::nullopt;
  return request.path + "/" + (request.rawQuery.empty() ? "" : "?" + request.rawQuery);
}

bool OAuthEndpoints::hasRequiredParam(const SandboxRequest& request) const {
  if (!requiredParam_) return true;
  return request.queryParam(requiredParam_->first) == requiredParam_->second;
}

std::string OAuthEndpoints::requiredParamText() const {
  return requiredParam_ ? requiredParam_->first + "=" + requiredParam_->second : std::string();
}

std::string OAuthEndpoints::url(const std::string& origin, const std::string& path) const {
  std::string out = origin + path;
  if (requiredParam_) {
    out += "?" + encodeComponent(requiredParam_->first) + "=" +
           encodeComponent(requiredParam_->second);
  }
  return out;
}

}  // namespace wpe
