#include "common/wire.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>

#include "common/json_value.h"
#include "common/json_writer.h"

namespace wpe {
namespace {

// A member's text: a string's content or a scalar's text; "" when absent or null.
std::string getString(const JsonValue& object, std::string_view key) { return object[key].text(); }

// A member's integer: a JSON integer, or a string holding one (the old POCO reader converted
// both); 0 when absent or null. Anything else is not the expected document.
Result<std::int64_t> getInteger(const JsonValue& object, std::string_view key) {
  const JsonValue& value = object[key];
  if (value.isNull()) return std::int64_t{0};
  if (auto n = value.integer()) return *n;
  if (value.isString()) {
    std::int64_t n = 0;
    const std::string& t = value.text();
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec == std::errc() && ptr == t.data() + t.size()) return n;
  }
  return Error(ErrorCode::Internal, "\"" + std::string(key) + "\" is not an integer");
}

void writeProfileInfo(JsonWriter& w, const ProfileInfo& p) {
  w.beginObject();
  w.key("name").string(p.name);
  w.key("auth").string(p.auth);
  w.key("api_url").string(p.apiUrl);
  w.key("user").string(p.user);
  w.key("authorize_url").string(p.authorizeUrl);
  w.key("token_url").string(p.tokenUrl);
  w.key("revoke_url").string(p.revokeUrl);
  w.key("client_id").string(p.clientId);
  w.key("scope").string(p.scope);
  w.key("redirect_port").number(p.redirectPort);
  w.key("ca_file").string(p.caFile);
  w.endObject();
}

Result<ProfileInfo> profileInfoFrom(const JsonValue& o) {
  if (!o.isObject()) return Error(ErrorCode::Internal, "a profile is not an object");
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
  auto port = getInteger(o, "redirect_port");
  if (!port) return port.error();
  p.redirectPort = static_cast<int>(*port);
  p.caFile = getString(o, "ca_file");
  return p;
}

Error unexpected(const char* what, const Error& e) {
  return Error(ErrorCode::Internal, std::string("unexpected ") + what + " from wped: " + e.message);
}

// The document as an object; Internal otherwise.
Result<JsonValue> parseObject(std::string_view body) {
  auto doc = JsonValue::parse(body);
  if (!doc) return doc.error();
  if (!doc->isObject()) return Error(ErrorCode::Internal, "not a JSON object");
  return doc;
}

}  // namespace

namespace {

// 1 for the bytes a JSON string must escape: '"', '\\', the C0 controls and DEL.
constexpr std::array<unsigned char, 256> kNeedsEscape = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 1;
  table['"'] = table['\\'] = table[0x7f] = 1;
  return table;
}();

// True when one of the 8 bytes of `word` must be escaped: below 0x20, '"', '\\' or DEL.
// Bit Twiddling Hacks' "has a zero byte" and "has a byte less than n", which are exact as
// yes/no answers (only which byte they point at may be wrong; the caller looks byte by byte).
bool wordNeedsEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto hasZero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  const std::uint64_t below0x20 = (word - kOnes * 0x20) & ~word & kHighs;
  return (below0x20 | hasZero(word ^ (kOnes * '"')) | hasZero(word ^ (kOnes * '\\')) |
          hasZero(word ^ (kOnes * 0x7f))) != 0;
}

// How many bytes `text` starts with that need no escape: 8 at a time while a word has none,
// then one at a time.
std::size_t plainPrefix(std::string_view text) {
  const char* const data = text.data();
  std::size_t i = 0;
  for (std::uint64_t word; i + 8 <= text.size(); i += 8) {
    std::memcpy(&word, data + i, sizeof word);
    if (wordNeedsEscape(word)) break;
  }
  while (i < text.size() && kNeedsEscape[static_cast<unsigned char>(data[i])] == 0) ++i;
  return i;
}

void appendEscaped(std::string& out, unsigned char c) {
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
    default: {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    }
  }
}

}  // namespace

void appendJsonQuoted(std::string& out, std::string_view text) {
  std::size_t plain = plainPrefix(text);
  if (plain == text.size()) {
    // Nothing to escape (a token reply's ~10 strings, issue 10): one call to make room for
    // the quotes and the text, then the text copied in between them.
    const std::size_t at = out.size();
    out.append(text.size() + 2, '"');
    std::memcpy(&out[at + 1], text.data(), text.size());
    return;
  }
  out += '"';
  out.append(text.data(), plain);
  for (std::size_t i = plain; i < text.size();) {
    appendEscaped(out, static_cast<unsigned char>(text[i++]));  // text[i] needs an escape
    plain = plainPrefix(text.substr(i));
    out.append(text.data() + i, plain);
    i += plain;
  }
  out += '"';
}

std::string jsonQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  appendJsonQuoted(out, text);
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
  if (auto root = parseObject(body)) {
    const JsonValue& inner = (*root)["error"];
    if (inner.isObject()) {
      Error error(errorCodeFromName(getString(inner, "code")), getString(inner, "message"));
      auto retryAfter = getInteger(inner, "retry_after");
      auto upstream = getInteger(inner, "upstream_status");
      if (retryAfter && upstream) {
        if (inner.has("retry_after")) error.retryAfter = std::chrono::seconds(*retryAfter);
        if (inner.has("upstream_status")) error.upstreamStatus = static_cast<int>(*upstream);
        return error;
      }
    }
  }
  // Not an error document: the generic description below.
  return Error(ErrorCode::Internal,
               "wped answered HTTP " + std::to_string(httpStatus) + " without an error document");
}

std::string profileInfoToJson(const ProfileInfo& profile) {
  JsonWriter w;
  writeProfileInfo(w, profile);
  return w.take();
}

std::string profileListToJson(const std::vector<ProfileInfo>& profiles) {
  JsonWriter w;
  w.beginObject().key("profiles").beginArray();
  for (const auto& p : profiles) writeProfileInfo(w, p);
  w.endArray().endObject();
  return w.take();
}

Result<ProfileInfo> profileInfoFromJson(std::string_view body) {
  auto root = parseObject(body);
  if (!root) return unexpected("profile document", root.error());
  auto info = profileInfoFrom(*root);
  if (!info) return unexpected("profile document", info.error());
  return info;
}

Result<std::vector<ProfileInfo>> profileListFromJson(std::string_view body) {
  auto root = parseObject(body);
  if (!root) return unexpected("profile list", root.error());
  const JsonValue& list = (*root)["profiles"];
  if (!list.isArray())
    return Error(ErrorCode::Internal, "wped's profile list has no \"profiles\" array");
  std::vector<ProfileInfo> out;
  for (const auto& item : list.items()) {
    auto info = profileInfoFrom(item);
    if (!info) return unexpected("profile list", info.error());
    out.push_back(std::move(info.value()));
  }
  return out;
}

std::string pingReplyToJson() {
  JsonWriter w;
  w.beginObject().key("ok").boolean(true).endObject();
  return w.take();
}

std::string shutdownReplyToJson() {
  JsonWriter w;
  w.beginObject().key("stopping").boolean(true).endObject();
  return w.take();
}

std::string reloadReplyToJson(const ReloadReply& reply) {
  JsonWriter w;
  w.beginObject().key("reloaded").boolean(true);
  w.key("config").string(reply.config);
  w.key("profiles").unsignedNumber(reply.profiles);
  w.endObject();
  return w.take();
}

std::string statusToJson(const StatusInfo& s) {
  JsonWriter w;
  w.beginObject();
  w.key("version").string(s.version);
  w.key("pid").number(s.pid);
  w.key("uptime_seconds").number(s.uptimeSeconds);
  w.key("socket").string(s.socket);
  w.key("config").string(s.config);
  w.key("credential_store").beginObject();
  w.key("state").string(s.credentialStore.state);
  w.key("detail").string(s.credentialStore.detail);
  w.endObject();
  w.key("cache").beginObject();
  w.key("state").string(s.cache.state);
  w.key("detail").string(s.cache.detail);
  w.endObject();
  w.key("profiles").beginArray();
  for (const auto& p : s.profiles) {
    w.beginObject();
    w.key("name").string(p.name);
    w.key("auth").string(p.auth);
    w.key("state").string(p.state);
    w.key("detail").string(p.detail);
    for (const auto& [key, value] : p.extra) w.key(key).string(value);
    w.endObject();
  }
  w.endArray().endObject();
  return w.take();
}

Result<StatusInfo> statusFromJson(std::string_view body) {
  static const std::set<std::string, std::less<>> kKnown{"name", "auth", "state", "detail"};
  auto root = parseObject(body);
  if (!root) return unexpected("status document", root.error());
  StatusInfo s;
  s.version = getString(*root, "version");
  auto pid = getInteger(*root, "pid");
  if (!pid) return unexpected("status document", pid.error());
  s.pid = *pid;
  auto uptime = getInteger(*root, "uptime_seconds");
  if (!uptime) return unexpected("status document", uptime.error());
  s.uptimeSeconds = *uptime;
  s.socket = getString(*root, "socket");
  s.config = getString(*root, "config");
  if (const JsonValue& store = (*root)["credential_store"]; store.isObject()) {
    s.credentialStore.state = getString(store, "state");
    s.credentialStore.detail = getString(store, "detail");
  }
  if (const JsonValue& cache = (*root)["cache"]; cache.isObject()) {
    s.cache.state = getString(cache, "state");
    s.cache.detail = getString(cache, "detail");
  }
  for (const auto& o : (*root)["profiles"].items()) {
    if (!o.isObject()) continue;
    ProfileStatus p;
    p.name = getString(o, "name");
    p.auth = getString(o, "auth");
    p.state = getString(o, "state");
    p.detail = getString(o, "detail");
    for (const auto& [key, value] : o.members()) {
      if (kKnown.count(key) == 0 && !value.isNull() && !value.isArray() && !value.isObject())
        p.extra.emplace_back(key, value.text());
    }
    s.profiles.push_back(std::move(p));
  }
  return s;
}

}  // namespace wpe
