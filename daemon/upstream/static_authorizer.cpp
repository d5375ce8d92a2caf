#include "daemon/upstream/static_authorizer.h"

#include <Poco/Base64Encoder.h>

#include <sstream>

namespace wpe {

StaticAuthorizer::StaticAuthorizer(Secret value, std::string loginRequiredMessage)
    : value_(std::move(value)), loginRequiredMessage_(std::move(loginRequiredMessage)) {}

StaticAuthorizer StaticAuthorizer::apiKey(std::string profile, const Secret& key) {
  return StaticAuthorizer(Secret("ApiKey " + key.reveal()),
                          "the WP Engine API rejected the stored API key for profile " + profile +
                              "; run `wpectl login --profile " + profile + " --api-key`");
}

StaticAuthorizer StaticAuthorizer::basic(std::string profile, const std::string& user,
                                         const Secret& password) {
  std::ostringstream encoded;
  {
    Poco::Base64Encoder encoder(encoded);
    encoder.rdbuf()->setLineLength(0);  // one line: the default wraps at 72 characters
    encoder << user << ':' << password.reveal();
    encoder.close();
  }
  Secret value("Basic " + encoded.str());
  // The stream's buffer held the encoded password: overwrite it before it is freed.
  encoded.str(std::string(encoded.str().size(), '\0'));
  return StaticAuthorizer(
      std::move(value), "the WP Engine API rejected the stored password for profile " + profile +
                            "; run `wpectl login --profile " + profile + " --basic --user " + user +
                            "`");
}

Result<Secret> StaticAuthorizer::authorization(std::chrono::seconds) { return value_; }

Result<Secret> StaticAuthorizer::afterUnauthorized(const Secret&) {
  return Error(ErrorCode::LoginRequired, loginRequiredMessage_);
}

}  // namespace wpe
