#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "daemon/audit/proc_peer_resolver.h"

using namespace wpe;

TEST_CASE("ProcPeerResolver: the unit is the last .service or .scope in the cgroup path",
          "[proc_peer_resolver]") {
  using R = ProcPeerResolver;
  CHECK(R::unitFromCgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                          "foo.service\n") == "foo.service");
  CHECK(R::unitFromCgroup("0::/user.slice/user-1000.slice/session-3.scope\n") == "session-3.scope");
  CHECK(R::unitFromCgroup("0::/system.slice/cron.service/payload\n") == "cron.service");
  CHECK(R::unitFromCgroup("0::/\n") == "");
  CHECK(R::unitFromCgroup("") == "");
  // cgroup v1 / hybrid: name=systemd names it when the unified line does not.
  CHECK(R::unitFromCgroup("4:memory:/x\n1:name=systemd:/user.slice/u@1.service/a.scope\n0::/\n") ==
        "a.scope");
  // A unit named ".service" alone is no unit; odd text is not a crash.
  CHECK(R::unitFromCgroup("0::/a/.service\n") == "");
  CHECK(R::unitFromCgroup("garbage\n::\n0:") == "");
}

TEST_CASE("ProcPeerResolver: resolves our own process", "[proc_peer_resolver]") {
  ProcPeerResolver resolver;
  auto self = resolver.resolve(::getpid(), ::getuid());
  CHECK(self.pid == ::getpid());
  CHECK(self.exe == std::filesystem::read_symlink("/proc/self/exe").string());
  auto gone = resolver.resolve(0, 0);
  CHECK(gone.exe.empty());
}
