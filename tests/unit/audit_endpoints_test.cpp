#include "daemon/localapi/audit_endpoints.h"

#include <catch2/catch.hpp>

#include "daemon/audit/connection_peer.h"
#include "tests/unit/fakes.h"
#include "tests/unit/quiet_logger.h"

using namespace wpe;

namespace {

class NobodyResolver final : public PeerResolver {
 public:
  PeerIdentity resolve(int pid, unsigned uid) const override { return {pid, uid, "/bin/x", ""}; }
};

ApiRequest get(const std::string& name, const std::string& value) {
  auto r = test::request("GET", "/v1/audit");
  r.query.emplace(name, value);
  return r;
}

}  // namespace

TEST_CASE("AuditEndpoints: parameters are checked; no trail is 503", "[audit_endpoints]") {
  testing::FakeClock clock;
  NobodyResolver resolver;
  AuditLog unavailable(nullptr, "the audit trail is unavailable: no cache", resolver, clock,
                       test::quietLogger(), AuditLog::Options{});
  AuditEndpoints endpoints(unavailable);
  auto r = test::request("GET", "/v1/audit");
  auto answer = endpoints.audit(r);
  CHECK(answer.status == 503);
  CHECK(answer.body.find("no cache") != std::string::npos);

  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{{"profile", "../x"},
                                                                             {"since", "yesterday"},
                                                                             {"limit", "0"},
                                                                             {"limit", "100001"},
                                                                             {"limit", "ten"}}) {
    auto bad = get(name, value);
    CHECK(endpoints.audit(bad).status == 400);
  }
}
