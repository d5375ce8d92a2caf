#include "daemon/auth/oauth_grant.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "common/credential_text.h"
#include "daemon/time/rfc3339.h"

namespace wpe {

namespace {
Error corrupt(const std::string& what) {
  return Error(ErrorCode::Internal,
               "the stored OAuth grant is corrupt (" + what + "); run `wpectl login` again");
}
}  // namespace

Secret OAuthGrant::toJson() const {
  Poco::JSON::Object obj;
  obj.set("access_token", accessToken.reveal());
  obj.set("token_type", tokenType);
  obj.set("expires_at", formatRfc3339(expiresAt));
  obj.set("lifetime", static_cast<Poco::Int64>(lifetime.count()));
  if (refreshToken) obj.set("refresh_token", refreshToken->reveal());
  obj.set("scope", scope);
  if (clientSecret) obj.set("client_secret", clientSecret->reveal());
  std::ostringstream out;
  obj.stringify(out);
  return Secret(out.str());
}

Result<OAuthGrant> OAuthGrant::fromJson(const Secret& json) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(json.reveal());
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) return corrupt("not a JSON object");
    auto obj = root.extract<Poco::JSON::Object::Ptr>();
    auto str = [&](const char* key) -> std::optional<std::string> {
      if (!obj->has(key) || !obj->get(key).isString()) return std::nullopt;
      return obj->get(key).extract<std::string>();
    };
    OAuthGrant g;
    auto access = str("access_token");
    if (!access || access->empty()) return corrupt("access_token missing");
    // Written by an older wped that did not check: never put it into a header.
    for (const char* key : {"access_token", "refresh_token", "client_secret"}) {
      auto value = str(key);
      if (!value || value->empty()) continue;
      if (auto problem = credentialTextProblem(*value)) return corrupt(key + (" " + *problem));
    }
    g.accessToken = Secret(std::move(*access));
    g.tokenType = str("token_type").value_or("Bearer");
    auto expires = str("expires_at");
    if (!expires) return corrupt("expires_at missing");
    auto when = parseRfc3339(*expires);
    if (!when) return corrupt("expires_at is not RFC 3339");
    g.expiresAt = *when;
    if (!obj->has("lifetime") || !obj->get("lifetime").isInteger())
      return corrupt("lifetime missing");
    g.lifetime = std::chrono::seconds(obj->get("lifetime").convert<Poco::Int64>());
    if (g.lifetime.count() <= 0) return corrupt("lifetime not positive");
    if (auto r = str("refresh_token"); r && !r->empty()) g.refreshToken = Secret(std::move(*r));
    g.scope = str("scope").value_or("");
    if (auto c = str("client_secret"); c && !c->empty()) g.clientSecret = Secret(std::move(*c));
    return g;
  } catch (const Poco::Exception& e) {
    // Poco's parse messages quote the input: name the class only, never the text.
    return corrupt(std::string("unparseable: ") + e.className());
  } catch (const std::exception&) {
    return corrupt("unparseable");
  }
}

Secret OAuthGrant::authorization() const { return Secret("Bearer " + accessToken.reveal()); }

}  // namespace wpe
