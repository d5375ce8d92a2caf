#include "daemon/auth/oauth_client.h"

#include "daemon/upstream/retry_policy.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "common/log_escape.h"
#include "common/loopback_host.h"
#include "daemon/auth/token_response_parser.h"
#include "daemon/auth/url_encoding.h"

namespace wpe {

namespace {

// An hour: a server asking for longer is treated as asking for an hour (docs/security.md rule 12).
constexpr std::chrono::seconds kMaxRetryAfter{3600};

// Server text may echo what we sent; never let a secret reach a message.
void scrub(std::string& message, const std::vector<const Secret*>& secrets) {
  for (const Secret* s : secrets) {
    if (!s || s->reveal().size() < 4) continue;
    const std::string& needle = s->reveal();
    for (auto pos = message.find(needle); pos != std::string::npos;
         pos = message.find(needle, pos)) {
      message.replace(pos, needle.size(), "[redacted]");
    }
  }
}

std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << text;
  enc.close();
  return out.str();
}

}  // namespace

OAuthClient::OAuthClient(ProfileConfig profile, HttpTransport& transport, TransportOptions options,
                         const Clock& clock)
    : profile_(std::move(profile)),
      transport_(transport),
      options_(std::move(options)),
      clock_(clock) {
  if (options_.caFile.empty()) options_.caFile = profile_.caFile;
}

bool OAuthClient::endpointAllowed(const std::string& url) {
  try {
    Poco::URI uri(url);
    if (uri.getScheme() == "https") return !uri.getHost().empty();
    // The same rule the config loader applied: what it accepted is never refused here.
    return uri.getScheme() == "http" && isLoopbackHost(uri.getHost());
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::optional<std::chrono::seconds> OAuthClient::parseRetryAfter(const std::string& value,
                                                                 WallTime now) {
  return RetryPolicy::parseRetryAfter(value, now, kMaxRetryAfter);
}

HttpRequest OAuthClient::formRequest(const std::string& url, std::string body,
                                     const std::optional<Secret>& clientSecret) const {
  HttpRequest req;
  req.method = "POST";
  req.url = url;
  req.contentType = "application/x-www-form-urlencoded";
  req.headers.emplace_back("Accept", "application/json");
  if (clientSecret && !clientSecret->empty()) {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    req.authorization = Secret("Basic " + base64(formEncode(profile_.clientId) + ":" +
                                                 formEncode(clientSecret->reveal())));
  } else {
    body += "&client_id=" + formEncode(profile_.clientId);
  }
  req.body = std::move(body);
  return req;
}

TokenOutcome OAuthClient::postToken(std::string body, const std::optional<Secret>& clientSecret,
                                    const Secret& sent) {
  if (!endpointAllowed(profile_.tokenUrl)) {
    TokenFailure f;
    f.message = "token_url " + escapeForLog(profile_.tokenUrl) +
                " refused: it must be https:// (http:// only for loopback hosts: 127.0.0.0/8, ::1, "
                "localhost)";
    return TokenOutcome::fail(f);
  }
  HttpRequest req = formRequest(profile_.tokenUrl, std::move(body), clientSecret);
  auto response = transport_.send(req, options_);
  const Secret* secret = clientSecret ? &*clientSecret : nullptr;
  if (!response) {
    TokenFailure f;
    f.kind = TokenFailureKind::Transient;
    f.message = response.error().message;
    scrub(f.message, {&sent, secret});
    return TokenOutcome::fail(f);
  }
  const HttpResponse& r = response.value();
  if (r.status >= 200 && r.status < 300) {
    TokenOutcome out = TokenResponseParser::parseSuccess(r.body);
    if (!out.ok()) {
      out.failure.httpStatus = r.status;
      scrub(out.failure.message, {&sent, secret});
    }
    return out;
  }
  TokenFailure f;
  if (RetryPolicy::isTransientStatus(r.status)) {
    f.kind = TokenFailureKind::Transient;
    f.httpStatus = r.status;
    f.message = "the token endpoint answered HTTP " + std::to_string(r.status);
    f.retryAfter = parseRetryAfter(r.header("Retry-After"), clock_.now());
  } else {
    f = TokenResponseParser::parseError(r.status, r.body);
  }
  scrub(f.message, {&sent, secret});
  scrub(f.oauthError, {&sent, secret});
  return TokenOutcome::fail(f);
}

TokenOutcome OAuthClient::exchangeCode(const Secret& code, const Secret& verifier,
                                       const std::string& redirectUri,
                                       const std::optional<Secret>& clientSecret) {
  std::string body = "grant_type=authorization_code&code=" + formEncode(code.reveal()) +
                     "&redirect_uri=" + formEncode(redirectUri) +
                     "&code_verifier=" + formEncode(verifier.reveal());
  TokenOutcome out = postToken(std::move(body), clientSecret, code);
  if (!out.ok()) {
    std::string& m = out.failure.message;
    scrub(m, {&verifier});
  }
  return out;
}

TokenOutcome OAuthClient::refresh(const Secret& refreshToken,
                                  const std::optional<Secret>& clientSecret) {
  std::string body = "grant_type=refresh_token&refresh_token=" + formEncode(refreshToken.reveal());
  return postToken(std::move(body), clientSecret, refreshToken);
}

Status OAuthClient::revoke(const Secret& token, const std::string& hint,
                           const std::optional<Secret>& clientSecret) {
  if (profile_.revokeUrl.empty()) {
    return Error(ErrorCode::Unavailable, "profile has no revoke_url");
  }
  if (!endpointAllowed(profile_.revokeUrl)) {
    return Error(ErrorCode::BadRequest, "revoke_url " + escapeForLog(profile_.revokeUrl) +
                                            " refused: it must be https:// (http:// only for "
                                            "loopback hosts: 127.0.0.0/8, ::1, localhost)");
  }
  std::string body = "token=" + formEncode(token.reveal()) + "&token_type_hint=" + formEncode(hint);
  HttpRequest req = formRequest(profile_.revokeUrl, std::move(body), clientSecret);
  auto response = transport_.send(req, options_);
  if (!response) {
    std::string m = response.error().message;
    scrub(m, {&token});
    return Error(ErrorCode::UpstreamUnreachable, m);
  }
  // RFC 7009 §2.2: 200 also for tokens the server no longer knows.
  if (response->status == 200) return {};
  Error e(ErrorCode::UpstreamError,
          "the revocation endpoint answered HTTP " + std::to_string(response->status));
  e.upstreamStatus = response->status;
  return e;
}

}  // namespace wpe
