#pragma once
// OAuthEndpoints: where the sandbox's OAuth 2.0 endpoints live, so a test can stand in for
// authorization servers that publish unusual endpoint URLs (RFC 6749 §3.1: the endpoint URI is
// used as given, query included).
//  - Plain (the default): /oauth/authorize, /oauth/token, /oauth/revoke.
//  - Slash (Django OAuth Toolkit): /o/authorize/, /o/token/, /o/revoke_token/ and nothing
//    else: matching is exact, so /o/token is a 404; a GET of a slash-less endpoint path is a
//    301 to the path with the slash (query kept), as Django's APPEND_SLASH answers.
//  - A required query parameter (NAME=VALUE): every OAuth endpoint wants it in its query and
//    the published URLs carry it, so a client that drops an endpoint's query is caught.
// Immutable after construction; thread-safe.

#include <optional>
#include <string>
#include <utility>

#include "tests/sandbox/sandbox_request.h"

namespace wpe {

class OAuthEndpoints {
 public:
  enum class Style { Plain, Slash };
  enum class Which { None, Authorize, Token, Revoke };

  OAuthEndpoints() = default;
  OAuthEndpoints(Style style, std::optional<std::pair<std::string, std::string>> requiredParam);

  // Which endpoint `path` is (exact match), or None.
  Which match(const std::string& path) const;
  // In Slash style, a GET of an endpoint path without its slash: the 301 target; else nullopt.
  std::optional<std::string> slashRedirect(const SandboxRequest& request) const;
  // True when the request carries the required query parameter (or none is required).
  bool hasRequiredParam(const SandboxRequest& request) const;
  // "NAME=VALUE" for messages; empty when none is required.
  std::string requiredParamText() const;

  // Published URLs: origin + path (+ "?NAME=VALUE").
  std::string authorizeUrl(const std::string& origin) const { return url(origin, authorize_); }
  std::string tokenUrl(const std::string& origin) const { return url(origin, token_); }
  std::string revokeUrl(const std::string& origin) const { return url(origin, revoke_); }

 private:
  std::string url(const std::string& origin, const std::string& path) const;

  Style style_ = Style::Plain;
  std::string authorize_ = "/oauth/authorize";
  std::string token_ = "/oauth/token";
  std::string revoke_ = "/oauth/revoke";
  std::optional<std::pair<std::string, std::string>> requiredParam_;
};

}  // namespace wpe
