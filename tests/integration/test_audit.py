"""The local audit trail end to end: every token request and passthrough call is recorded
with the calling program (pid, uid, executable, systemd unit), the profile, method, path
(never the query), status and time, in cache.db, for 30 days; `wpectl audit` shows it, and
the first use of a profile's credential by an executable is logged once (security.md)."""

import json
import os
import shutil
import sqlite3
import subprocess
import time

from harness import WPECTL, wait_for

CURL = os.path.realpath(shutil.which("curl") or "/usr/bin/curl")
WPECTL_EXE = os.path.realpath(WPECTL)
QUERY_MARKER = "wpeauditquerymarker"


def curl(stack, path):
    r = subprocess.run([CURL, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                        stack.daemon.socket_path, "http://localhost" + path],
                       capture_output=True, text=True, timeout=30)
    return int(r.stdout or 0)


def audit(stack, *args):
    return stack.ctl_json("audit", *args)


def audit_rows(stack):
    db = sqlite3.connect(f"file:{stack.cache_db()}?mode=ro", uri=True, timeout=5)
    try:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM audit ORDER BY id")]
    finally:
        db.close()


def first_use_lines(stack, exe):
    return [line for line in stack.daemon.log_text().splitlines()
            if f"profile default: first use by {exe}" in line]


def test_wpectl_audit_shows_curl_passthrough_and_wpectl_token(stack):
    stack.login_api_key()
    assert curl(stack, f"/v1/profiles/default/api/sites?limit=1&{QUERY_MARKER}=1") == 200
    token = stack.ctl("token", "--min-valid", "30")
    assert token.returncode == 0, token.stderr

    doc = audit(stack)
    assert set(doc) == {"dropped", "entries"} and doc["dropped"] == 0
    by_exe = {e["exe"]: e for e in doc["entries"]}
    api, tok = by_exe[CURL], by_exe[WPECTL_EXE]
    assert (api["method"], api["path"], api["status"], api["profile"]) == \
        ("GET", "/v1/profiles/default/api/sites", 200, "default")
    assert (tok["method"], tok["path"], tok["status"]) == ("GET", "/v1/profiles/default/token", 200)
    for e in (api, tok):
        assert set(e) == {"time", "last_time", "count", "profile", "method", "path", "status",
                          "pid", "uid", "exe", "unit"}
        assert e["uid"] == os.getuid() and e["pid"] > 0 and e["count"] == 1
        assert e["time"].endswith("Z") and e["last_time"] >= e["time"]
    # The passthrough came first: entries are oldest first.
    paths = [e["path"] for e in doc["entries"]]
    assert paths.index(api["path"]) < paths.index(tok["path"])

    human = stack.ctl("audit")
    assert human.returncode == 0, human.stderr
    lines = human.stdout.splitlines()
    assert lines[0].split()[:4] == ["TIME", "PROFILE", "REQUEST", "STATUS"]
    assert any(CURL in line and "GET /api/sites" in line for line in lines)
    assert any(WPECTL_EXE in line and "GET /token" in line for line in lines), human.stdout
    assert "newest last" in human.stderr

    # Neither the query nor any secret reaches the file.
    rows = audit_rows(stack)
    assert rows and not any(QUERY_MARKER in json.dumps(r) for r in rows)
    for suffix in ("", "-wal"):
        path = stack.cache_db() + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            assert QUERY_MARKER.encode() not in data
            assert stack.info["api_key"].encode() not in data
    assert stack.canary_hits() == []


def test_profile_and_since_filters(stack):
    stack.login_api_key()
    assert stack.ctl("token").returncode == 0
    r = stack.ctl("token", "--profile", "basic")  # not logged in: recorded with its 401
    assert r.returncode == 4
    time.sleep(1.2)
    middle = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
    time.sleep(1.5)
    assert curl(stack, "/v1/profiles/default/api/accounts") == 200

    everything = audit(stack)["entries"]
    assert {(e["profile"], e["status"]) for e in everything} >= {("default", 200), ("basic", 401)}
    default_only = audit(stack, "--profile", "default")["entries"]
    assert default_only and {e["profile"] for e in default_only} == {"default"}
    assert len(audit(stack, "--since", "30m")["entries"]) == len(everything)
    recent = audit(stack, "--since", middle)["entries"]
    assert [e["path"] for e in recent] == ["/v1/profiles/default/api/accounts"]
    assert len(audit(stack, "--limit", "1")["entries"]) == 1

    bad = stack.ctl("audit", "--since", "5 parsecs")
    assert bad.returncode == 2 and "--since" in bad.stderr
    status, _, body = stack.daemon.request("GET", "/v1/audit?since=yesterday")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_request"


def test_records_older_than_30_days_are_pruned_at_start(stack):
    stack.login_api_key()
    assert stack.ctl("token").returncode == 0
    assert audit(stack)["entries"]  # the table exists and holds the call
    stack.daemon.stop()
    now_ms = int(time.time() * 1000)
    day = 86400 * 1000
    db = sqlite3.connect(stack.cache_db(), timeout=5)
    with db:
        for age, path in ((31, "/v1/profiles/default/old"), (29, "/v1/profiles/default/kept")):
            db.execute("INSERT INTO audit (time_ms, last_ms, count, profile, method, path, status,"
                       " pid, uid, exe, unit) VALUES (?,?,1,'default','GET',?,200,1,?,'/bin/x','')",
                       (now_ms - age * day, now_ms - age * day, path, os.getuid()))
    db.close()
    stack.daemon.start()
    paths = [e["path"] for e in audit(stack)["entries"]]
    assert "/v1/profiles/default/kept" in paths and "/v1/profiles/default/old" not in paths
    assert "/v1/profiles/default/token" in paths


def test_first_use_by_an_executable_is_logged_once(stack):
    stack.login_api_key()
    for _ in range(3):
        assert stack.ctl("token").returncode == 0
    assert curl(stack, "/v1/profiles/default/api/sites") == 200
    assert curl(stack, "/v1/profiles/default/api/sites") == 200
    wait_for(lambda: first_use_lines(stack, CURL) and first_use_lines(stack, WPECTL_EXE),
             what="the first-use log lines")
    audit(stack)  # flushes: everything queued has been seen
    assert len(first_use_lines(stack, WPECTL_EXE)) == 1
    assert len(first_use_lines(stack, CURL)) == 1
    # Per the trail on record: a restart does not make it new again.
    stack.daemon.stop()
    stack.daemon.start()
    assert stack.ctl("token").returncode == 0
    audit(stack)
    assert len(first_use_lines(stack, WPECTL_EXE)) == 1


def test_every_call_of_a_kept_alive_connection_is_counted(stack):
    stack.login_api_key()
    conn = stack.daemon.connection()
    try:
        for i in range(200):
            conn.request("GET", "/v1/profiles/default/token" + ("?min_valid=5" if i % 2 else ""))
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
    finally:
        conn.close()
    python = os.path.realpath(f"/proc/{os.getpid()}/exe")
    mine = [e for e in audit(stack)["entries"] if e["pid"] == os.getpid()]
    assert mine and {e["exe"] for e in mine} == {python}
    # Identical calls merge into entries with a count; none is lost, the query never shows.
    assert sum(e["count"] for e in mine) == 200
    assert {e["path"] for e in mine} == {"/v1/profiles/default/token"}
