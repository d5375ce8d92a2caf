#include "daemon/auth/basic_credential.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wpe {

Secret BasicCredential::toJson() const {
  Poco::JSON::Object object;
  object.set("user", user);
  object.set("password", password.reveal());
  std::ostringstream out;
  object.stringify(out);
  return Secret(out.str());
}

Result<BasicCredential> BasicCredential::fromJson(const Secret& json) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(json.reveal()).extract<Poco::JSON::Object::Ptr>();
    if (object && object->has("user") && object->has("password")) {
      return BasicCredential{object->getValue<std::string>("user"),
                             Secret(object->getValue<std::string>("password"))};
    }
  } catch (const std::exception&) {
    // The parser's message may quote the blob: replaced by the fixed text below.
  }
  return Error(ErrorCode::Internal,
               "the stored Basic credential is unreadable; run `wpectl login --basic` again");
}

}  // namespace wpe
