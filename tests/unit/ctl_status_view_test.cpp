#include <catch2/catch.hpp>

#include "ctl/relative_time.h"
#include "ctl/status_view.h"

using namespace wpe;
using namespace wpe::ctl;

TEST_CASE("StatusView: profile facts are grouped with ages", "[ctl_status_view]") {
  const std::int64_t now = *parseRfc3339Seconds("2026-11-28T10:00:00Z");
  ProfileStatus p;
  p.name = "work";
  p.extra = {{"credential", "oauth"},
             {"token_state", "valid"},
             {"token_expires_at", "2026-11-28T10:05:00Z"},
             {"last_refresh_at", "2026-11-28T09:55:00Z"},
             {"next_refresh_at", "2026-11-28T10:04:00Z"},
             {"sites_count", "40"},
             {"sites_synced_at", "2026-11-28T09:57:00Z"},
             {"sites_stale", "false"},
             {"installs_count", "79"},
             {"installs_synced_at", "2026-11-28T09:00:00Z"},
             {"installs_stale", "true"},
             {"installs_error", "upstream_error: HTTP 500"},
             {"accounts_synced_at", "never"},
             {"accounts_count", "0"},
             {"from_a_newer_daemon", "x"}};
  std::string text = profileFactLines(p, now, "  ");
  CHECK_THAT(text, Catch::Contains("  credential: oauth\n"));
  CHECK_THAT(text, Catch::Contains("token:      valid, expires 2026-11-28T10:05:00Z (in 5 min)"));
  CHECK_THAT(text, Catch::Contains("last 2026-11-28T09:55:00Z (5 min ago)"));
  CHECK_THAT(text, Catch::Contains("  sites:     40, synced 3 min ago\n"));
  CHECK_THAT(text, Catch::Contains("  installs:  79, synced 1 h ago (stale); last sync failed: "
                                   "upstream_error: HTTP 500\n"));
  CHECK_THAT(text, Catch::Contains("  accounts:  never synced\n"));
  CHECK_THAT(text, Catch::Contains("  from_a_newer_daemon: x\n"));
  CHECK(text.find("sites_count") == std::string::npos);
}
