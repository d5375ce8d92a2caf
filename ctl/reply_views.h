#pragma once
// Human renderings of wped's answers for wpectl (every text from the API shown through
// escapeForTerminal, tables through Table): who is logged in, the sites/installs/
// accounts tables, one site's details and the list footer. Pure functions over the answer's
// JSON text; a document that does not have the expected shape is an Internal error naming
// what was missing. Only the human output parses lists (with JsonValue, fast enough for
// 10,000 sites); --json copies the bytes through.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "ctl/table.h"

namespace wpe::ctl {

// "EMAIL (First Last)" from a WP Engine user object (or a document holding one under
// "user"); "" when there is none (null).
Result<std::string> userSummary(std::string_view json);

// The head of a list answer and its table. `kind` is "sites", "installs" or "accounts".
struct ListView {
  std::string syncedAt;
  bool stale = false;
  std::string lastError;
  std::size_t count = 0;
  Table table{std::vector<std::string>{}};
};

// account id → name, from an accounts list answer (empty on any parse failure).
std::map<std::string, std::string> accountNames(std::string_view accountsJson);

Result<ListView> listView(std::string_view kind, std::string_view json,
                          const std::map<std::string, std::string>& accountNames = {});

// "12 sites, synced 3 min ago" plus " (stale: LAST_ERROR)" when stale; `now` in epoch s.
std::string listFooter(const ListView& view, std::string_view kind, std::int64_t now);

// A site's fields and its installs as an indented block, fitted to `width`.
Result<std::string> siteDetail(std::string_view json, std::size_t width);

}  // namespace wpe::ctl
