#include "common/wire.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <set>
#include <sstream>

namespace wpe {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
  return out.str();
}

Object::Ptr parseObject(std::string_view body) {
  Poco::JSON::Parser parser;
  auto value = parser.parse(std::string(body));
  return value.extract<Object::Ptr>();
}

std::string getString(const Object::Ptr& object, const char* key) {
  if (!object->has(key) || object->isNull(key)) return {};
  return object->getValue<std::string>(key);
}

Object::Ptr profileInfoObject(const ProfileInfo& p) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("name", p.name);
  o->set("auth", p.auth);
  o->set("api_url", p.apiUrl);
  o->set("user", p.user);
  o->set("authorize_url", p.authorizeUrl);
  o->set("token_url", p.tokenUrl);
  o->set("revoke_url", p.revokeUrl);
  o->set("client_id", p.clientId);
  o->set("scope", p.scope);
  o->set("redirect_port", p.redirectPort);
  o->set("ca_file", p.caFile);
  return o;
}

ProfileInfo profileInfoFrom(const Object::Ptr& o) {
  ProfileInfo p;
  p.name = getString(o, "name");
  p.auth = getString(o, "auth");
  p.apiUrl = getString(o, "api_url");
  p.user = getString(o, "user");
  p.authorizeUrl = getString(o, "authorize_url");
  p.tokenUrl = getString(o, "token_url");
  p.revokeUrl = getString(o, "revoke_url");
  p.clientId = getString(o, "client_id");
  p.scope = getString(o, "scope");
  p.redirectPort = o->has("redirect_port") ? o->getValue<int>("redirect_port") : 0;
  p.caFile = getString(o, "ca_file");
  return p;
}

Error unexpected(const char* what, const std::exception& e) {
  return Error(ErrorCode::Internal, std::string("unexpected ") + what + " from wped: " + e.what());
}

}  // namespace

std::string jsonQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string errorToJson(const Error& error) {
  std::string out = "{\"error\":{\"code\":";
  out += jsonQuote(errorCodeName(error.code));
  out += ",\"message\":";
  out += jsonQuote(error.message);
  if (error.retryAfter) {
    out += ",\"retry_after\":" + std::to_string(error.retryAfter->count());
  }
  if (error.upstreamStatus != 0) {
    out += ",\"upstream_status\":" + std::to_string(error.upstreamStatus);
  }
  out += "}}";
  return out;
}

Error errorFromJson(std::string_view body, int httpStatus) {
  try {
    auto root = parseObject(body);
    auto inner = root->getObject("error");
    if (inner) {
      Error error(errorCodeFromName(getString(inner, "code")), getString(inner, "message"));
      if (inner->has("retry_after")) {
        error.retryAfter = std::chrono::seconds(inner->getValue<int>("retry_after"));
      }
      if (inner->has("upstream_status")) {
        error.upstreamStatus = inner->getValue<int>("upstream_status");
      }
      return error;
    }
  } catch (const std::exception&) {
    // Not an error document: fall through to the generic description below.
  }
  return Error(ErrorCode::Internal,
               "wped answered HTTP " + std::to_string(httpStatus) + " without an error document");
}

std::string profileInfoToJson(const ProfileInfo& profile) {
  return stringify(profileInfoObject(profile));
}

std::string profileListToJson(const std::vector<ProfileInfo>& profiles) {
  Array::Ptr list = new Array;
  for (const auto& p : profiles) list->add(profileInfoObject(p));
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("profiles", list);
  return stringify(root);
}

Result<ProfileInfo> profileInfoFromJson(std::string_view body) {
  try {
    return profileInfoFrom(parseObject(body));
  } catch (const std::exception& e) {
    return unexpected("profile document", e);
  }
}

Result<std::vector<ProfileInfo>> profileListFromJson(std::string_view body) {
  try {
    auto root = parseObject(body);
    auto list = root->getArray("profiles");
    if (!list) return Error(ErrorCode::Internal, "wped's profile list has no \"profiles\" array");
    std::vector<ProfileInfo> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      out.push_back(profileInfoFrom(list->getObject(static_cast<unsigned>(i))));
    }
    return out;
  } catch (const std::exception& e) {
    return unexpected("profile list", e);
  }
}

std::string statusToJson(const StatusInfo& s) {
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("version", s.version);
  root->set("pid", s.pid);
  root->set("uptime_seconds", s.uptimeSeconds);
  root->set("socket", s.socket);
  root->set("config", s.config);
  Object::Ptr store = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  store->set("state", s.credentialStore.state);
  store->set("detail", s.credentialStore.detail);
  root->set("credential_store", store);
  Object::Ptr cache = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  cache->set("state", s.cache.state);
  cache->set("detail", s.cache.detail);
  root->set("cache", cache);
  Array::Ptr profiles = new Array;
  for (const auto& p : s.profiles) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("name", p.name);
    o->set("auth", p.auth);
    o->set("state", p.state);
    o->set("detail", p.detail);
    for (const auto& [key, value] : p.extra) o->set(key, value);
    profiles->add(o);
  }
  root->set("profiles", profiles);
  return stringify(root);
}

Result<StatusInfo> statusFromJson(std::string_view body) {
  static const std::set<std::string> kKnown{"name", "auth", "state", "detail"};
  try {
    auto root = parseObject(body);
    StatusInfo s;
    s.version = getString(root, "version");
    s.pid = root->has("pid") ? root->getValue<std::int64_t>("pid") : 0;
    s.uptimeSeconds =
        root->has("uptime_seconds") ? root->getValue<std::int64_t>("uptime_seconds") : 0;
    s.socket = getString(root, "socket");
    s.config = getString(root, "config");
    if (auto store = root->getObject("credential_store")) {
      s.credentialStore.state = getString(store, "state");
      s.credentialStore.detail = getString(store, "detail");
    }
    if (auto cache = root->getObject("cache")) {
      s.cache.state = getString(cache, "state");
      s.cache.detail = getString(cache, "detail");
    }
    if (auto list = root->getArray("profiles")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto o = list->getObject(static_cast<unsigned>(i));
        if (!o) continue;
        ProfileStatus p;
        p.name = getString(o, "name");
        p.auth = getString(o, "auth");
        p.state = getString(o, "state");
        p.detail = getString(o, "detail");
        for (const auto& [key, value] : *o) {
          if (kKnown.count(key) == 0 && !value.isEmpty())
            p.extra.emplace_back(key, value.toString());
        }
        s.profiles.push_back(std::move(p));
      }
    }
    return s;
  } catch (const std::exception& e) {
    return unexpected("status document", e);
  }
}

}  // namespace wpe
