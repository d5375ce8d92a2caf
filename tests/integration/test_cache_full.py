"""A full cache disk (issue 8 item 10): the cache is optional, so wped starts and serves
tokens and the passthrough without it, says so in `status`, answers list requests with
`cache_full`, keeps the first error (SQLITE_FULL, not a ROLLBACK's complaint), never shows a
list as fresh after a failed write, and opens the cache again at the next sync once there is
room. The full disk is a small tmpfs (needs root to mount; skipped otherwise)."""

import json
import os
import subprocess

import pytest

from harness import wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def small_fs(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(mount)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {r.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory):
    """Fills the filesystem; returns the filler's path (delete it to make room)."""
    filler = os.path.join(directory, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def call(stack, method, path, body=None, timeout=60.0):
    data = None if body is None else json.dumps(body)
    status, _, text = stack.daemon.request(method, path, data, timeout=timeout)
    return status, (json.loads(text) if text else None)


def status_cache(stack):
    status, doc = call(stack, "GET", "/v1/status")
    assert status == 200
    return doc.get("cache", {})


def test_a_full_disk_at_start_leaves_tokens_and_passthrough_working(make_stack, small_fs):
    filler = fill(str(small_fs))
    stack = make_stack(daemon_config={"daemon": {"cache_dir": str(small_fs / "wped")}})
    cache = status_cache(stack)
    assert cache.get("state") == "unavailable", cache
    assert "full" in cache.get("detail", ""), cache
    stack.login_api_key()
    assert stack.ctl("token").returncode == 0
    r = stack.ctl("api", "/sites?limit=1")
    assert r.returncode == 0, r.stderr
    status, body = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 507 and body["error"]["code"] == "cache_full", body
    assert "cannot rollback" not in stack.daemon.log_text()

    # The login's sync failed on the full disk; it must be over before there is room again: a
    # POST /sync while it runs joins it and answers with its failure.
    wait_for(lambda: "profile default: sync failed" in stack.daemon.log_text(),
             what="the login's sync to fail")
    os.unlink(filler)  # room again: the next sync opens the cache
    status, body = call(stack, "POST", "/v1/profiles/default/sync")
    assert status == 200, body
    assert status_cache(stack).get("state") == "ready"
    status, body = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200 and body["count"] == 25 and body["stale"] is False


def test_a_disk_that_fills_during_a_sync_reports_cache_full_and_stale(make_stack, small_fs):
    stack = make_stack(sites=40,
                       daemon_config={"daemon": {"cache_dir": str(small_fs / "wped")}})
    stack.login_api_key()
    # Every list, not only the sites: a POST /sync during the first sync joins it, and its
    # installs or accounts write (after fill() below) would answer 507 while the sites list
    # it had written stays fresh.
    stack.wait_every_list_synced()
    # Grow every site by 20 kB: the new list no longer fits beside the old one.
    stack.sandbox.control("POST", "/paging", {"pad_bytes": 20000, "list": "sites"})
    fill(str(small_fs))
    status, body = call(stack, "POST", "/v1/profiles/default/sync")
    assert status == 507, body
    assert body["error"]["code"] == "cache_full", body
    assert "full" in body["error"]["message"], body
    assert "cannot rollback" not in body["error"]["message"]
    status, body = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200 and body["count"] == 40
    assert body["stale"] is True and body["last_error"], body
    r = stack.ctl("sites", "--refresh")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "full" in r.stderr
