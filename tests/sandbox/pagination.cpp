#include "tests/sandbox/pagination.h"

#include <Poco/URI.h>

#include <cstdlib>

#include "tests/sandbox/json_text.h"

namespace wpe {
namespace {

bool parseCount(const std::string& text, std::size_t min, std::size_t max, std::size_t& out) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  const std::size_t value = std::strtoul(text.c_str(), nullptr, 10);
  if (value < min || value > max) return false;
  out = value;
  return true;
}

std::string encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

}  // namespace

Result<Pagination> Pagination::parse(const SandboxRequest& request) {
  Pagination page;
  if (auto limit = request.queryParam("limit")) {
    if (!parseCount(*limit, 1, kMaxLimit, page.limit))
      return Error(ErrorCode::BadRequest, "Invalid limit: must be an integer from 1 to 100");
  }
  if (auto offset = request.queryParam("offset")) {
    if (!parseCount(*offset, 0, 999999999, page.offset))
      return Error(ErrorCode::BadRequest, "Invalid offset: must be a non-negative integer");
  }
  return page;
}

std::string Pagination::pageUrl(const std::string& baseUrl, const SandboxRequest::Params& query,
                                std::size_t pageOffset) const {
  std::string url =
      baseUrl + "?limit=" + std::to_string(limit) + "&offset=" + std::to_string(pageOffset);
  for (const auto& [key, value] : query) {
    if (key == "limit" || key == "offset") continue;
    url += "&" + encode(key) + "=" + encode(value);
  }
  return url;
}

std::string Pagination::envelope(const std::string& baseUrl, const SandboxRequest::Params& query,
                                 std::size_t total, const std::vector<std::string>& items) const {
  std::string out = "{\"previous\":";
  if (offset > 0) {
    const std::size_t previous = offset > limit ? offset - limit : 0;
    // Past the end, "previous" points at the last real page rather than another empty one.
    const std::size_t lastPage = total == 0 ? 0 : ((total - 1) / limit) * limit;
    out += json::quote(pageUrl(baseUrl, query, std::min(previous, lastPage)));
  } else {
    out += "null";
  }
  out += ",\"next\":";
  out += offset + limit < total ? json::quote(pageUrl(baseUrl, query, offset + limit)) : "null";
  out += ",\"count\":" + std::to_string(total) + ",\"results\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  out += "]}";
  return out;
}

}  // namespace wpe
