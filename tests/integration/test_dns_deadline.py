"""A DNS resolver that never answers (docs/security.md rules 13, 14): the real wped, in a network
and mount namespace of its own where /etc/resolv.conf names a server on 127.0.0.1:53 that takes
every query and answers none (glibc's getaddrinfo waits its full timeout there, 30 s). The
request must still end by upstream_timeout, saying it was the lookup, and SIGTERM must still end
wped at once. Needs root (unshare --net --mount); skipped otherwise."""

import os
import shutil
import subprocess
import time

import pytest

from harness import TIMEOUT_SCALE, wait_for
from harness.daemon import WPECTL, WPED, Daemon

HOST = "api.dns-never-answers.test"
UPSTREAM_TIMEOUT = 2  # seconds
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n"
# Binds 127.0.0.1:53/udp and takes every query without answering (no answer, and no ICMP
# "port unreachable" either); marks the first query with a file. Ends by itself after 2 min.
BLACK_HOLE = (
    "import socket, sys\n"
    "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 53))\n"
    "u.settimeout(120)\n"
    "open(sys.argv[1], 'w').close()\n"
    "try:\n"
    "    u.recv(4096)\n"
    "    open(sys.argv[2], 'w').close()\n"
    "    while True: u.recv(4096)\n"
    "except OSError: pass\n"
)
# Runs as PID 1's child in the new namespaces: loopback up, the private resolv.conf, the
# black hole (ready when its marker file exists), then wped itself.
WRAPPER = (
    "set -e\n"
    "ip link set lo up\n"
    "mount --bind \"$RESOLV\" /etc/resolv.conf\n"
    "python3 -c \"$BLACK_HOLE\" \"$READY\" \"$QUERIED\" &\n"
    "while [ ! -e \"$READY\" ]; do sleep 0.01; done\n"
    "exec \"$@\"\n"
)

def _hosts_use_dns():
    """Whether host names go to DNS here (nsswitch.conf "hosts: … dns"), over a resolv.conf
    that a private mount can cover."""
    try:
        with open("/etc/nsswitch.conf") as f:
            hosts = [line.split() for line in f if line.startswith("hosts:")]
    except OSError:
        return False
    return bool(hosts) and "dns" in hosts[0] and os.path.exists("/etc/resolv.conf")


def _namespaces_allowed():
    """Whether this machine lets us make a network and mount namespace (a container may not)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "--net", "--mount", "--", "ip", "link", "set", "lo", "up"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _hosts_use_dns() or not _namespaces_allowed(),
    reason="needs root, unshare(1) and ip(8) for a network and mount namespace of its own, "
           "and host lookups that go to DNS (nsswitch.conf, /etc/resolv.conf)")


@pytest.fixture
def isolated(tmp_path):
    """wped (memory store) in its own network and mount namespaces, its only DNS server the
    black hole, its one profile's API at HOST."""
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(RESOLV_CONF)
    daemon = Daemon(config={
        "daemon": {"credential_store": "memory", "upstream_timeout": UPSTREAM_TIMEOUT,
                   "log_level": "debug"},
        "profile.default": {"auth": "api_key", "api_url": f"https://{HOST}/v1"},
    })
    argv = ["unshare", "--net", "--mount", "--", "sh", "-c", WRAPPER, "wrapper", WPED]
    env = {"RESOLV": str(resolv), "BLACK_HOLE": BLACK_HOLE, "READY": str(tmp_path / "ready"),
           "QUERIED": str(tmp_path / "queried")}
    daemon.queried = tmp_path / "queried"
    daemon.start(argv=argv, env=env, timeout=20.0)
    try:
        yield daemon
        daemon.stop()  # SIGTERM (unless a test sent it), and exit status 0
    finally:
        daemon.cleanup()


def test_a_lookup_that_never_answers_ends_by_upstream_timeout(isolated):
    start = time.monotonic()
    r = isolated.ctl("login", "--api-key", input="canary-dns-key-7781\n", timeout=60.0)
    elapsed = time.monotonic() - start
    assert r.returncode != 0, r.stdout
    message = r.stderr
    assert f"looking up {HOST} took longer than {UPSTREAM_TIMEOUT} s" in message, message
    assert "DNS" in message, message
    assert "canary-dns-key-7781" not in message + isolated.log_text()
    # Ended by the deadline, not by the resolver's own 30 s timeout.
    assert UPSTREAM_TIMEOUT - 0.2 <= elapsed < (UPSTREAM_TIMEOUT + 8) * TIMEOUT_SCALE, elapsed

    # The daemon still answers, and a second try fails the same way (nothing got stuck).
    assert isolated.ctl("status").returncode == 0
    again = isolated.ctl("login", "--api-key", input="canary-dns-key-7781\n", timeout=60.0)
    assert f"looking up {HOST}" in again.stderr, again.stderr


def test_sigterm_during_a_lookup_that_never_answers_ends_wped_at_once(isolated):
    login = subprocess.Popen(
        [WPECTL, "login", "--api-key"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=isolated.env(WPED_SOCKET=isolated.socket_path))
    login.stdin.write("canary-dns-key-7781\n")
    login.stdin.close()
    # The login's lookup reached the resolver, which will not answer.
    wait_for(lambda: isolated.queried.exists(), timeout=10, what="a DNS query from wped")
    start = time.monotonic()
    isolated.proc.terminate()
    isolated.proc.wait(timeout=10 * TIMEOUT_SCALE)
    assert time.monotonic() - start < 2 * TIMEOUT_SCALE, time.monotonic() - start
    assert isolated.proc.returncode == 0, isolated.log_text()
    login.wait(timeout=10)
    assert login.returncode != 0
    assert "canary-dns-key-7781" not in login.stdout.read() + login.stderr.read()
