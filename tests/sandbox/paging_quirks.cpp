#include "tests/sandbox/paging_quirks.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "tests/sandbox/json_text.h"

namespace wpe {

std::string PagingSettings::toJson() const {
  return "{\"max_page_size\":" + std::to_string(maxPageSize) +
         ",\"irregular\":" + (irregular ? "true" : "false") +
         ",\"pad_bytes\":" + std::to_string(padBytes) +
         ",\"count\":" + (count ? std::to_string(*count) : std::string("null")) +
         ",\"chunked\":" + (chunked ? "true" : "false") + ",\"list\":" + json::quote(list) + "}";
}

PagingSettings PagingQuirks::get() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

Result<PagingSettings> PagingQuirks::set(const std::string& body) {
  PagingSettings s;
  try {
    Poco::JSON::Object::Ptr object;
    if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
      Poco::JSON::Parser parser;
      object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    }
    if (object) {
      auto size = [&](const char* name, std::size_t max) -> std::optional<std::size_t> {
        if (!object->has(name) || object->get(name).isEmpty()) return std::nullopt;
        const auto v = object->getValue<std::int64_t>(name);
        if (v < 0 || static_cast<std::uint64_t>(v) > max)
          throw Poco::RangeException(std::string(name) + " is out of range");
        return static_cast<std::size_t>(v);
      };
      s.maxPageSize = size("max_page_size", 100).value_or(0);
      s.padBytes = size("pad_bytes", kMaxPadBytes).value_or(0);
      s.count = size("count", 999999999);
      s.irregular = object->optValue<bool>("irregular", false);
      s.chunked = object->optValue<bool>("chunked", false);
      s.list = object->optValue<std::string>("list", "");
      if (!s.list.empty() && s.list != "sites" && s.list != "installs" && s.list != "accounts")
        return Error(ErrorCode::BadRequest, "list must be sites, installs or accounts");
    }
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::BadRequest, "bad paging field: " + e.displayText());
  } catch (const std::exception& e) {
    return Error(ErrorCode::BadRequest, std::string("bad paging body: ") + e.what());
  }
  std::lock_guard lock(mutex_);
  settings_ = s;
  return s;
}

PagingSettings PagingQuirks::forList(const std::string& collection) const {
  std::lock_guard lock(mutex_);
  if (!settings_.list.empty() && settings_.list != collection) return {};
  return settings_;
}

std::size_t PagingQuirks::pageLimit(const PagingSettings& settings, std::size_t offset,
                                    std::size_t limit) {
  if (settings.maxPageSize > 0) limit = std::min(limit, settings.maxPageSize);
  // Irregular: 1..limit items, varying with the offset, the same for the same offset.
  if (settings.irregular && limit > 1) limit = 1 + (offset * 7 + 3) % limit;
  return limit;
}

std::string PagingQuirks::pad(const std::string& itemJson, std::size_t bytes) {
  if (bytes == 0 || itemJson.empty() || itemJson.back() != '}') return itemJson;
  std::string out = itemJson.substr(0, itemJson.size() - 1);
  out.reserve(out.size() + bytes + 16);
  out += ",\"padding\":\"";
  out.append(bytes, 'x');
  out += "\"}";
  return out;
}

}  // namespace wpe
