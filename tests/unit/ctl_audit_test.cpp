#include <catch2/catch.hpp>

#include "common/audit_wire.h"
#include "ctl/audit_view.h"
#include "ctl/since_option.h"

using namespace wpe;
using namespace wpe::ctl;

TEST_CASE("since option: durations back from now and RFC 3339 times", "[ctl_audit]") {
  const std::int64_t now = 1'800'000'000;  // 2027-01-15T08:00:00Z
  CHECK(formatUtc(now) == "2027-01-15T08:00:00Z");
  CHECK(*sinceTime("30m", now) == formatUtc(now - 1800));
  CHECK(*sinceTime("1h", now) == formatUtc(now - 3600));
  CHECK(*sinceTime("2d", now) == formatUtc(now - 2 * 86400));
  CHECK(*sinceTime("1w", now) == formatUtc(now - 7 * 86400));
  CHECK(*sinceTime("45s", now) == formatUtc(now - 45));
  CHECK(*sinceTime("2027-01-15T09:00:00+02:00", now) == "2027-01-15T07:00:00Z");
  CHECK(*sinceTime("2027-01-15T07:00:00Z", now) == "2027-01-15T07:00:00Z");
  for (const char* bad :
       {"", "h", "1", "1x", "-1h", "1.5h", "99999999999d", "yesterday", "2027-01-15"}) {
    auto r = sinceTime(bad, now);
    CHECK_FALSE(r);
    if (!r) CHECK(r.error().message.find("--since") != std::string::npos);
  }
}

TEST_CASE("audit wire: round trip; audit view: newest last, paths below the profile",
          "[ctl_audit]") {
  AuditReply reply;
  reply.dropped = 2;
  reply.entries.push_back({"2027-01-15T08:00:00Z", "2027-01-15T08:00:01Z", 3, "work", "GET",
                           "/v1/profiles/work/api/sites", 200, 42, 1000, "/usr/bin/curl",
                           "foo.service"});
  reply.entries.push_back({"2027-01-15T08:00:02Z", "2027-01-15T08:00:02Z", 1, "work", "GET",
                           "/v1/profiles/work/token", 401, 43, 1000, "", ""});
  auto back = auditReplyFromJson(auditReplyToJson(reply));
  REQUIRE(back);
  CHECK(back->dropped == 2);
  REQUIRE(back->entries.size() == 2);
  CHECK(back->entries[0].exe == "/usr/bin/curl");
  CHECK(back->entries[0].count == 3);
  CHECK(back->entries[0].lastTime == "2027-01-15T08:00:01Z");
  CHECK(back->entries[1].status == 401);
  CHECK_FALSE(auditReplyFromJson("{\"entries\":3}"));

  std::string table = auditTable(*back).render(200);
  CHECK(table.find("GET /api/sites") != std::string::npos);
  CHECK(table.find("GET /token") != std::string::npos);
  CHECK(table.find("/usr/bin/curl") != std::string::npos);
  CHECK(table.find("foo.service") != std::string::npos);
  CHECK(table.find("/usr/bin/curl") < table.find("GET /token"));  // oldest first
  CHECK(auditFooter(*back) ==
        "2 entries, newest last, 2 calls not recorded since wped started (see its log)");
}
