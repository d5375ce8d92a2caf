#pragma once
// Pagination: the WP Engine API's limit/offset paging. parse() validates `limit` (1..100,
// default 100) and `offset` (>= 0, default 0) and returns a BadRequest Error whose message is
// the 400 body's text; envelope() builds {"previous","next","count","results"} with absolute
// next/previous URLs that keep the request's other query parameters (e.g. account_id).

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "tests/sandbox/sandbox_request.h"

namespace wpe {

class Pagination {
 public:
  static constexpr std::size_t kDefaultLimit = 100;
  static constexpr std::size_t kMaxLimit = 100;

  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;

  static Result<Pagination> parse(const SandboxRequest& request);

  // baseUrl: "https://127.0.0.1:PORT/v1/sites"; total: the whole filtered count.
  std::string envelope(const std::string& baseUrl, const SandboxRequest::Params& query,
                       std::size_t total, const std::vector<std::string>& items) const;

 private:
  std::string pageUrl(const std::string& baseUrl, const SandboxRequest::Params& query,
                      std::size_t pageOffset) const;
};

}  // namespace wpe
