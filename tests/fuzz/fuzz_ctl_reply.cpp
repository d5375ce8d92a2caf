// What wpectl reads from wped's socket: ctl/json_value (its fast JSON reader), ctl/reply_views
// (tables, site details, the user line), ctl/status_view, ctl/api_reply and the common/ wire
// readers of status, profiles, token and login replies. The daemon is trusted, but a wpectl
// talking to an older/newer or broken daemon must still only ever print an error. The first
// byte picks a terminal width and a clock; the rest is the reply body. Invariants: never
// throws; JsonValue keeps to its nesting limit and everything it accepts holds valid UTF-8
// only (keys and strings); a rendered table fits its width; an API path never carries what
// would break the request line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/audit_wire.h"
#include "common/json_value.h"
#include "common/profile_wire.h"
#include "common/unix_http_client.h"
#include "common/utf8_scan.h"
#include "common/wire.h"
#include "ctl/api_reply.h"
#include "ctl/reply_views.h"
#include "ctl/status_view.h"
#include "ctl/table.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void checkUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const wpe::Utf8Step step = wpe::utf8Step(text, pos);
    FUZZ_CHECK(step.valid, "JsonValue accepted a string that is not UTF-8");
    pos += step.length;
  }
}

std::size_t walk(const wpe::JsonValue& v, int depth) {
  FUZZ_CHECK(depth <= wpe::JsonValue::kMaxDepth + 1, "JsonValue nested deeper than its limit");
  if (v.isString()) checkUtf8(v.text());
  std::size_t n = 1;
  for (const auto& item : v.items()) n += walk(item, depth + 1);
  for (const auto& [key, member] : v.members()) {
    checkUtf8(key);
    n += walk(member, depth + 1);
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t width = 20 + data[0] % 120;
  const std::int64_t now = 1'800'000'000 + data[0] * 997;
  const std::string_view body = wpe::fuzz::bytes(data + 1, size - 1);

  if (auto value = wpe::JsonValue::parse(body)) {
    walk(*value, 0);
    (void)(*value)["results"].items().size();
    (void)(*value)["count"].text();
  }

  (void)wpe::ctl::userSummary(body);
  const auto names = wpe::ctl::accountNames(body);
  for (const char* kind : {"sites", "installs", "accounts"}) {
    auto view = wpe::ctl::listView(kind, body, names);
    if (!view) continue;
    const std::string table = view->table.render(width);
    (void)wpe::ctl::listFooter(*view, kind, now);
    // Columns never shrink below their header ("Table: columns never shrink below their
    // header"), so the header line alone may be wider than a very narrow terminal; no line may
    // be wider than the terminal or, failing that, than the header line.
    const std::size_t headerEnd = std::min(table.find('\n'), table.size());
    const std::size_t allowed = std::max(
        width, wpe::ctl::Table::displayWidth(std::string_view(table).substr(0, headerEnd)));
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i <= table.size(); ++i) {
      if (i == table.size() || table[i] == '\n') {
        FUZZ_CHECK(wpe::ctl::Table::displayWidth(
                       std::string_view(table).substr(lineStart, i - lineStart)) <= allowed,
                   "a table line wider than the terminal and than its header");
        lineStart = i + 1;
      }
    }
  }
  (void)wpe::ctl::siteDetail(body, width);

  if (auto status = wpe::statusFromJson(body)) {
    for (const auto& profile : status->profiles) (void)wpe::ctl::profileFactLines(profile, now);
  }
  (void)wpe::profileListFromJson(body);
  (void)wpe::profileInfoFromJson(body);
  (void)wpe::tokenReplyFromJson(body);
  (void)wpe::loginStartedFromJson(body);
  (void)wpe::loginProgressFromJson(body);
  (void)wpe::auditReplyFromJson(body);
  if (auto list = wpe::listReplyFromJson(body)) {
    FUZZ_CHECK(list->results.isArray(), "a list reply read without a results array");
  }
  const wpe::Error error = wpe::errorFromJson(body, 400 + data[0] % 200);
  (void)error;

  wpe::HttpReply reply;
  reply.status = 400 + data[0] % 200;
  reply.body = std::string(body);
  reply.headers.emplace_back("content-type", "application/json");
  (void)wpe::ctl::isWpedError(reply);
  if (auto path = wpe::ctl::apiPath(body)) {
    FUZZ_CHECK(path->find_first_of(" \r\n\t") == std::string::npos,
               "an API path that would break the request line");
  }
  return 0;
}
