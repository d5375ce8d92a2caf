#include "tests/sandbox/oauth_server.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <openssl/sha.h>

#include <cctype>
#include <sstream>

#include "common/html_escape.h"
#include "tests/sandbox/json_text.h"

namespace wpe {
namespace {

Reply oauthError(int status, const std::string& error, const std::string& description) {
  Reply reply = Reply::json(status, "{\"error\":" + json::quote(error) +
                                        ",\"error_description\":" + json::quote(description) + "}");
  reply.header("Cache-Control", "no-store").header("Pragma", "no-cache");
  return reply;
}

Reply errorPage(const std::string& text) {
  Reply reply;
  reply.status = 400;
  reply.contentType = "text/html; charset=utf-8";
  reply.body = "<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>" +
               htmlEscape(text) + "</p>\n";
  return reply;
}

std::string encodeComponent(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
std::string formDecode(const std::string& text) {
  auto params = SandboxRequest::parseUrlEncoded("x=" + text);
  return params.empty() ? std::string() : params.front().second;
}

bool isLoopbackHttp(const std::string& redirectUri) {
  try {
    Poco::URI uri(redirectUri);
    const std::string host = uri.getHost();
    return uri.getScheme() == "http" && uri.getFragment().empty() && uri.getUserInfo().empty() &&
           (host == "127.0.0.1" || host == "::1" || host == "localhost");
  } catch (const Poco::Exception&) {
    return false;
  }
}

bool validVerifier(const std::string& verifier) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (char c : verifier)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
          c == '~'))
      return false;
  return true;
}

}  // namespace

OAuthServer::OAuthServer(const SandboxCredentials& credentials, TokenStore& tokens,
                         Counters& counters)
    : credentials_(credentials), tokens_(tokens), counters_(counters) {}

void OAuthServer::denyNextAuthorize(std::optional<std::string> errorDescription) {
  std::lock_guard lock(mutex_);
  denyNext_ = std::move(errorDescription);
}

bool OAuthServer::knownClient(const std::string& clientId) const {
  return clientId == credentials_.publicClientId || clientId == credentials_.confidentialClientId;
}

std::string OAuthServer::s256(const std::string& verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

Reply OAuthServer::authorize(const SandboxRequest& request) {
  if (request.method != "GET") return Reply::message(405, "Method Not Allowed");
  const std::string clientId = request.queryParam("client_id").value_or("");
  if (!knownClient(clientId)) return errorPage("Unknown client_id.");
  const std::string redirectUri = request.queryParam("redirect_uri").value_or("");
  if (!isLoopbackHttp(redirectUri))
    return errorPage("redirect_uri must be http:// on 127.0.0.1, [::1] or localhost.");

  const auto state = request.queryParam("state");
  auto redirect = [&](const std::string& query) {
    std::string location =
        redirectUri + (redirectUri.find('?') == std::string::npos ? "?" : "&") + query;
    if (state) location += "&state=" + encodeComponent(*state);
    Reply reply;
    reply.status = 302;
    reply.contentType.clear();
    reply.header("Location", location).header("Cache-Control", "no-store");
    return reply;
  };
  auto fail = [&](const std::string& error, const std::string& description) {
    return redirect("error=" + error + "&error_description=" + encodeComponent(description));
  };

  if (request.queryParam("response_type").value_or("") != "code")
    return fail("unsupported_response_type", "response_type must be code");
  const std::string challenge = request.queryParam("code_challenge").value_or("");
  if (challenge.size() != 43)
    return fail("invalid_request", "code_challenge (S256, 43 characters) is required");
  if (request.queryParam("code_challenge_method").value_or("") != "S256")
    return fail("invalid_request", "code_challenge_method must be S256");
  {
    std::lock_guard lock(mutex_);
    if (denyNext_) {
      const std::string description = *denyNext_;
      denyNext_.reset();
      return fail("access_denied", description);
    }
  }
  std::string scope = request.queryParam("scope").value_or("");
  if (scope.empty()) scope = "sites:read";
  const std::string code = tokens_.issueCode({clientId, redirectUri, challenge, scope});
  return redirect("code=" + encodeComponent(code));
}

Result<std::string> OAuthServer::authenticateClient(const SandboxRequest& request,
                                                    Reply& failure) const {
  const auto bodyId = request.formParam("client_id");
  const auto bodySecret = request.formParam("client_secret");
  std::string clientId, secret;
  const bool basic = request.authorization.size() > 6 &&
                     Poco::icompare(request.authorization.substr(0, 6), "Basic ") == 0;
  if (basic) {
    std::string decoded;
    try {
      std::istringstream in(request.authorization.substr(6));
      Poco::Base64Decoder decoder(in);
      std::ostringstream out;
      out << decoder.rdbuf();
      decoded = out.str();
    } catch (const Poco::Exception&) {
      decoded.clear();
    }
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) {
      failure = oauthError(401, "invalid_client", "malformed HTTP Basic client credentials");
      failure.header("WWW-Authenticate", "Basic realm=\"wpe-sandbox\"");
      return Error(ErrorCode::BadRequest, "client");
    }
    clientId = formDecode(decoded.substr(0, colon));
    secret = formDecode(decoded.substr(colon + 1));
    if (bodySecret) {
      failure = oauthError(400, "invalid_request", "use one client authentication method, not two");
      return Error(ErrorCode::BadRequest, "client");
    }
    if (bodyId && *bodyId != clientId) {
      failure =
          oauthError(400, "invalid_request", "client_id differs from the authenticated client");
      return Error(ErrorCode::BadRequest, "client");
    }
  } else {
    if (!bodyId || bodyId->empty()) {
      failure = oauthError(400, "invalid_request", "client_id is required");
      return Error(ErrorCode::BadRequest, "client");
    }
    clientId = *bodyId;
    secret = bodySecret.value_or("");
  }
  bool ok = false;
  if (clientId == credentials_.confidentialClientId)
    ok = !secret.empty() && secret == credentials_.clientSecret.reveal();
  else if (clientId == credentials_.publicClientId)
    ok = secret.empty();
  if (!ok) {
    failure = oauthError(401, "invalid_client", "client authentication failed");
    if (basic) failure.header("WWW-Authenticate", "Basic realm=\"wpe-sandbox\"");
    return Error(ErrorCode::BadRequest, "client");
  }
  return clientId;
}

Reply OAuthServer::tokenResponse(const TokenStore::TokenPair& pair) const {
  Reply reply = Reply::json(
      200, "{\"access_token\":" + json::quote(pair.accessToken) + ",\"token_type\":\"Bearer\"," +
               "\"expires_in\":" + std::to_string(tokens_.accessTtl().count()) +
               ",\"refresh_token\":" + json::quote(pair.refreshToken) +
               ",\"scope\":" + json::quote(pair.scope) + "}");
  reply.header("Cache-Control", "no-store").header("Pragma", "no-cache");
  return reply;
}

Reply OAuthServer::token(const SandboxRequest& request) {
  if (request.method != "POST") return Reply::message(405, "Method Not Allowed");
  if (request.contentType.rfind("application/x-www-form-urlencoded", 0) != 0)
    return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  for (const auto& entry : request.form())
    if (request.formCount(entry.first) > 1)
      return oauthError(400, "invalid_request", "parameter " + entry.first + " repeated");
  Reply failure;
  auto client = authenticateClient(request, failure);
  if (!client) return failure;
  const std::string grantType = request.formParam("grant_type").value_or("");
  if (grantType.empty()) return oauthError(400, "invalid_request", "grant_type is required");
  if (grantType == "authorization_code") return authorizationCodeGrant(request, *client);
  if (grantType == "refresh_token") return refreshTokenGrant(request, *client);
  return oauthError(400, "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token");
}

Reply OAuthServer::authorizationCodeGrant(const SandboxRequest& request,
                                          const std::string& clientId) {
  const auto code = request.formParam("code");
  const auto redirectUri = request.formParam("redirect_uri");
  const auto verifier = request.formParam("code_verifier");
  if (!code || code->empty()) return oauthError(400, "invalid_request", "code is required");
  if (!redirectUri) return oauthError(400, "invalid_request", "redirect_uri is required");
  if (!verifier) return oauthError(400, "invalid_request", "code_verifier is required");
  auto redeemed = tokens_.redeemCode(*code);
  if (!redeemed) return oauthError(400, "invalid_grant", redeemed.error().message);
  if (redeemed->clientId != clientId)
    return oauthError(400, "invalid_grant", "the code was issued to another client");
  if (redeemed->redirectUri != *redirectUri)
    return oauthError(400, "invalid_grant",
                      "redirect_uri does not match the authorization request");
  if (!validVerifier(*verifier))
    return oauthError(400, "invalid_grant", "code_verifier must be 43-128 unreserved characters");
  if (s256(*verifier) != redeemed->codeChallenge)
    return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge");
  const auto pair = tokens_.createGrant(*code, *redeemed);
  counters_.recordGrant("authorization_code");
  return tokenResponse(pair);
}

Reply OAuthServer::refreshTokenGrant(const SandboxRequest& request, const std::string& clientId) {
  const auto refreshToken = request.formParam("refresh_token");
  if (!refreshToken || refreshToken->empty())
    return oauthError(400, "invalid_request", "refresh_token is required");
  auto pair = tokens_.rotate(*refreshToken, clientId);
  if (!pair) return oauthError(400, "invalid_grant", pair.error().message);
  counters_.recordGrant("refresh_token");
  return tokenResponse(*pair);
}

Reply OAuthServer::revoke(const SandboxRequest& request) {
  if (request.method != "POST") return Reply::message(405, "Method Not Allowed");
  if (request.contentType.rfind("application/x-www-form-urlencoded", 0) != 0)
    return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  Reply failure;
  auto client = authenticateClient(request, failure);
  if (!client) return failure;
  const auto token = request.formParam("token");
  if (!token || token->empty()) return oauthError(400, "invalid_request", "token is required");
  if (tokens_.revoke(*token, *client) == TokenStore::RevokeOutcome::OtherClient)
    return oauthError(400, "invalid_request", "the token was issued to another client");
  counters_.recordRevocation();
  Reply reply;
  reply.status = 200;
  reply.contentType.clear();
  reply.header("Cache-Control", "no-store");
  return reply;
}

}  // namespace wpe
