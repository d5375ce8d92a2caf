#include "tests/sandbox/api_authenticator.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/String.h>

#include <sstream>

namespace wpe {
namespace {

bool hasScheme(const std::string& header, const std::string& scheme) {
  return header.size() > scheme.size() + 1 && header[scheme.size()] == ' ' &&
         Poco::icompare(header.substr(0, scheme.size()), scheme) == 0;
}

std::string base64Decode(const std::string& text) {
  try {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::ostringstream out;
    out << decoder.rdbuf();
    return out.str();
  } catch (const Poco::Exception&) {
    return {};
  }
}

}  // namespace

std::optional<Reply> ApiAuthenticator::check(const SandboxRequest& request) const {
  const std::string& header = request.authorization;
  if (hasScheme(header, "ApiKey")) {
    if (Poco::trim(header.substr(7)) == credentials_.apiKey.reveal()) return std::nullopt;
  } else if (hasScheme(header, "Basic")) {
    if (base64Decode(Poco::trim(header.substr(6))) ==
        credentials_.user + ":" + credentials_.password.reveal())
      return std::nullopt;
  } else if (hasScheme(header, "Bearer")) {
    if (tokens_.accessTokenValid(Poco::trim(header.substr(7)))) return std::nullopt;
    Reply reply = Reply::message(401, "Bad Credentials");
    reply.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return reply;
  }
  return Reply::message(401, "Bad Credentials");
}

}  // namespace wpe
