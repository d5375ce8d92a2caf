"""`wpectl sites --refresh` shows how far a long sync has got on a terminal (pages and objects
so far, from the status facts sites_sync_pages / sites_sync_items), and nothing on a pipe."""

import os
import pty
import re
import select

from harness import WPECTL, wait_for

SITES = 3000  # 30 pages of 100
# Per API request. With 8 requests in flight a walk of 30 pages takes 1 + ⌈29 / 8⌉ = 5 rounds,
# ~3 s: wpectl shows the line after 1 s and redraws it every 0.5 s, so several counts show.
# (At 300 ms the walk took ~1.5 s, and a slow run saw only one.)
LATENCY_MS = 600


def synced(stack):
    p = stack.profile_status()
    return p.get("sites_synced_at", "never") != "never" and "sites_syncing" not in p


def run_on_terminal(stack, *args):
    env = stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path, COLUMNS="200")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(WPECTL, [WPECTL, *args], env)
    shown = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, f"wpectl showed nothing for 60 s: {shown[-500:]!r}"
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_refresh_shows_progress_counts_on_a_terminal_and_none_on_a_pipe(make_stack):
    stack = make_stack(sites=SITES, latency_ms=LATENCY_MS)
    stack.login_api_key()
    wait_for(lambda: synced(stack), timeout=120, what="the first sync")

    code, shown = run_on_terminal(stack, "sites", "--refresh")
    assert code == 0, shown[-2000:]
    counts = [(int(p), int(s)) for p, s in
              re.findall(r"Syncing sites from the WP Engine API\S* (\d+) pages?, (\d+) sites so far",
                         shown)]
    assert len(set(counts)) >= 2, f"the progress line must change: {counts}"
    assert counts == sorted(counts), counts
    assert all(0 < s <= SITES and s <= p * 100 for p, s in counts if p), counts

    r = stack.ctl("sites", "--refresh", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "so far" not in r.stderr and "Syncing" not in r.stderr, r.stderr
