"""OAuth login (authorization code + PKCE) through the real wped against wpe-sandbox: the
loopback listener, state handling, hostile redirects and broken token endpoints.
The browser is played by oauth_browser.py; wped is driven over its socket."""

import json
import socket
import subprocess
import time
import urllib.parse

import pytest

from harness import wait_for
from oauth_browser import visit, with_query
from oauth_flow import BROWSER
from oauth_flow import (api, begin_login, connect_refused, counter, keyring_items, listening_on,
                        login_progress, oauth_login, profile_status, redirect_of, token,
                        token_requests, wait_login_done)


def listener_port(location):
    return urllib.parse.urlsplit(location).port


def assert_token_works(stack, profile):
    status, _, data = token(stack, profile)
    assert status == 200, data
    assert data["token_type"].lower() == "bearer"
    assert data["authorization"] == "Bearer " + data["access_token"]
    assert stack.sandbox.token_active(data["access_token"])
    status, body = api(stack, "sites?limit=1", profile)
    assert status == 200, body
    assert body["count"] == 25 and len(body["results"]) == 1
    return data["access_token"]


@pytest.mark.parametrize("profile", ["oauth", "confidential"])
def test_login_end_to_end_then_token_and_passthrough_work(stack, profile):
    secret = stack.info["client_secret"] if profile == "confidential" else None
    started = begin_login(stack, profile, secret)
    assert login_progress(stack, started["login_id"])["state"] == "pending"
    location = redirect_of(stack, started["authorize_url"])
    port = listener_port(location)
    assert location.startswith(f"http://127.0.0.1:{port}/callback?")

    # While pending the listener is bound to loopback only.
    assert listening_on(port) == ["0100007F"], listening_on(port)

    status, page = visit(location)
    assert status == 200 and "Login complete" in page
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "succeeded", done
    assert connect_refused(port), "the listener must be closed after the login"
    assert listening_on(port) == []

    assert counter(stack, "grants", "authorization_code") == 1
    p = profile_status(stack, profile)
    assert p["state"] == "ready" and p["token_state"] == "valid", p
    assert p["token_expires_at"] and p["next_refresh_at"], p
    assert not p.get("persistence_pending", False)
    assert_token_works(stack, profile)
    # The grant lives in the keyring only, with the client secret beside the tokens.
    assert "wpecanary-rt-" in keyring_items(stack, profile)
    if secret:
        assert secret in keyring_items(stack, profile)
    assert stack.canary_hits() == []


def test_confidential_client_without_its_secret_fails_cleanly(stack):
    started = begin_login(stack, "confidential")
    visit(redirect_of(stack, started["authorize_url"]))
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed"
    assert "invalid_client" in done["error"]["message"], done
    assert token(stack, "confidential")[0] == 401
    assert keyring_items(stack, "confidential") == ""


def test_wrong_missing_and_replayed_state_never_reach_the_token_endpoint(stack):
    started = begin_login(stack)
    location = redirect_of(stack, started["authorize_url"])
    good_state = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["state"][0]

    for bad in (with_query(location, state="x" + good_state),
                with_query(location, state=None),
                with_query(location, state=""),
                location + "&state=" + good_state):  # duplicated parameter
        status, page = visit(bad)
        assert status == 400, (bad, status)
        assert login_progress(stack, started["login_id"])["state"] == "pending"
    assert token_requests(stack) == 0

    status, _ = visit(location)
    assert status == 200
    assert wait_login_done(stack, started["login_id"])["state"] == "succeeded"
    assert token_requests(stack) == 1

    # A replay of the valid callback: the listener is gone (or refuses); no second exchange.
    port = listener_port(location)
    try:
        status, _ = visit(location, timeout=3)
        assert status == 400
    except OSError:
        assert connect_refused(port)
    assert token_requests(stack) == 1
    assert counter(stack, "grants", "authorization_code") == 1


def test_favicon_and_other_paths_get_404_and_the_login_stays_pending(stack):
    started = begin_login(stack)
    location = redirect_of(stack, started["authorize_url"])
    origin = location.split("/callback")[0]
    for path in ("/favicon.ico", "/", "/callback/extra", "/CALLBACK"):
        status, _ = visit(origin + path)
        assert status == 404, path
    assert login_progress(stack, started["login_id"])["state"] == "pending"
    assert token_requests(stack) == 0
    status, _ = visit(location)
    assert status == 200
    assert wait_login_done(stack, started["login_id"])["state"] == "succeeded"


HOSTILE = "no\x1b[31m way\r\n2026-01-01 FAKE log line <script>alert(1)</script> & \"q\"\x07"


def test_access_denied_with_hostile_description_fails_escaped_and_keeps_old_tokens(stack):
    oauth_login(stack)
    before = token(stack)[2]["access_token"]

    stack.sandbox.control("POST", "/authorize", {"deny": True, "error_description": HOSTILE})
    started = begin_login(stack)
    location = redirect_of(stack, started["authorize_url"])
    assert "error=access_denied" in location
    status, page = visit(location)
    assert status in (200, 400)
    assert "<script>" not in page and "&lt;script&gt;" in page
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed"
    message = done["error"]["message"]
    assert "access_denied" in message
    assert not any(ord(c) < 0x20 or ord(c) == 0x7f for c in message), repr(message)
    log = stack.daemon.log_text()
    assert "\x1b" not in log and "\x07" not in log
    assert not any(line.startswith("2026-01-01 FAKE") for line in log.splitlines())

    # The earlier login is untouched.
    assert token_requests(stack) == 1
    status, _, now = token(stack)
    assert status == 200 and now["access_token"] == before
    assert profile_status(stack)["state"] == "ready"
    assert stack.canary_hits() == []


FAKE_AT = "wpecanary-at-fake0000"
TOKEN_FAULTS = [
    ("invalid_grant", dict(status=400, body='{"error":"invalid_grant"}'), "invalid_grant"),
    ("html_502", dict(status=502, body="<html><body>Bad Gateway</body></html>",
                      content_type="text/html"), "502"),
    ("malformed_json", dict(status=200, body='{"access_token": "' + FAKE_AT + '", '), "JSON"),
    ("no_access_token", dict(status=200, body='{"token_type":"Bearer","expires_in":3600}'),
     "access_token"),
    ("token_type_mac", dict(status=200, body=json.dumps(
        {"access_token": FAKE_AT, "token_type": "mac", "expires_in": 3600})), "mac"),
    ("expires_in_negative", dict(status=200, body=json.dumps(
        {"access_token": FAKE_AT, "token_type": "Bearer", "expires_in": -5})), "expires_in"),
    ("body_5mb", dict(status=200, body_bytes=5 * 1024 * 1024), "larger"),
    ("dropped", dict(action="drop"), "closed"),
]


def test_broken_token_endpoint_answers_fail_the_login_and_store_nothing(stack):
    failures = []
    for name, fault, expected in TOKEN_FAULTS:
        stack.sandbox.fault(path="/oauth/token", grant_type="authorization_code", **fault)
        started = begin_login(stack)
        status, _ = visit(redirect_of(stack, started["authorize_url"]))
        done = wait_login_done(stack, started["login_id"])
        message = (done.get("error") or {}).get("message", "")
        problems = []
        if done["state"] != "failed":
            problems.append(f"state {done['state']}")
        if expected.lower() not in message.lower():
            problems.append(f"message does not mention {expected!r}")
        if "wpecanary" in message or len(message) > 400:
            problems.append("message leaks or echoes the body")
        t_status, _, t_body = token(stack)
        if t_status != 401 or t_body["error"]["code"] != "login_required":
            problems.append(f"token → {t_status} {t_body}")
        if keyring_items(stack) != "":
            problems.append("something was stored in the keyring")
        if profile_status(stack)["state"] == "ready":
            problems.append("profile became ready")
        if problems:
            failures.append(f"{name}: {problems} ({message!r})")
    assert failures == []
    assert token_requests(stack) == len(TOKEN_FAULTS)  # each code sent exactly once
    assert stack.canary_hits() == []


def test_a_newer_login_supersedes_the_pending_one(stack):
    first = begin_login(stack)
    first_location = redirect_of(stack, first["authorize_url"])
    second = begin_login(stack)
    done = wait_login_done(stack, first["login_id"])
    assert done["state"] == "failed" and "superseded" in done["error"]["message"], done
    assert connect_refused(listener_port(first_location))
    status, _ = visit(redirect_of(stack, second["authorize_url"]))
    assert status == 200
    assert wait_login_done(stack, second["login_id"])["state"] == "succeeded"
    assert token_requests(stack) == 1


def test_a_taken_redirect_port_is_a_clear_error(make_stack):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        stack = make_stack(daemon_config={"profile.oauth": {"redirect_port": port}})
        status, _, body = stack.request_json("POST", "/v1/profiles/oauth/login",
                                             json.dumps({"method": "oauth"}))
        assert status >= 400, body
        assert str(port) in body["error"]["message"], body
        assert profile_status(stack)["state"] != "ready"
    finally:
        busy.close()
    # A fixed, free port is used as configured.
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    stack = make_stack(daemon_config={"profile.oauth": {"redirect_port": port}})
    started = begin_login(stack)
    location = redirect_of(stack, started["authorize_url"])
    assert listener_port(location) == port
    assert visit(location)[0] == 200
    assert wait_login_done(stack, started["login_id"])["state"] == "succeeded"


def unrelated_ca(directory):
    """A CA of the test's own that signed nothing the sandbox serves (not the system bundle:
    a fresh Debian has none until ca-certificates is installed)."""
    key, cert = directory / "other-ca.key", directory / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=unrelated test CA",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert


def test_a_certificate_the_profile_does_not_trust_fails_the_exchange(make_stack, tmp_path):
    stack = make_stack(daemon_config={"profile.oauth": {"ca_file": str(unrelated_ca(tmp_path))}})
    started = begin_login(stack)
    assert visit(redirect_of(stack, started["authorize_url"]))[0] == 200
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed"
    assert "certificate" in done["error"]["message"].lower(), done
    assert token_requests(stack) == 0  # the TLS handshake failed: the code never left
    assert keyring_items(stack) == ""


def test_a_redirect_from_the_token_endpoint_is_not_followed(stack):
    stack.sandbox.fault(path="/oauth/token", status=307,
                        headers={"Location": stack.info["api_url"] + "/status"}, body="{}")
    started = begin_login(stack)
    visit(redirect_of(stack, started["authorize_url"]))
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed" and "307" in done["error"]["message"], done
    assert counter(stack, "by_path", "GET /v1/status") == 0
    assert counter(stack, "by_path", "POST /v1/status") == 0
    assert token_requests(stack) == 1


# --- through wpectl ------------------------------------------------------------------------

def browser_env(stack, log):
    """$BROWSER = oauth_browser.py with the sandbox CA; a DISPLAY so wpectl launches it."""
    return {"BROWSER": f"{BROWSER} --ca {stack.info['ca_file']} --log {log} %s",
            "DISPLAY": ":99"}


def test_wpectl_login_oauth_opens_the_browser_and_waits(stack, tmp_path):
    log = tmp_path / "browser.log"
    r = stack.ctl("login", "--profile", "oauth", "--oauth", env=browser_env(stack, log),
                  timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Logged in to profile oauth" in r.stdout
    assert "/oauth/authorize?" in r.stderr  # the URL is printed in any case
    # The browser writes its log after the listener answered it, so wpectl may finish first.
    seen = wait_for(lambda: log.exists() and log.read_text(), what="the browser's log line")
    assert seen.startswith("200 http://127.0.0.1:")
    t = stack.ctl("token", "--profile", "oauth")
    assert t.returncode == 0, t.stderr
    access = t.stdout.strip()
    assert access.startswith("wpecanary-at-") and stack.sandbox.token_active(access)
    h = stack.ctl("token", "--profile", "oauth", "--header")
    assert h.returncode == 0 and h.stdout.strip() == "Bearer " + access
    j = stack.ctl_json("token", "--profile", "oauth")
    assert j["access_token"] == access and j["token_type"].lower() == "bearer"
    a = stack.ctl("api", "--profile", "oauth", "sites?limit=1")
    assert a.returncode == 0 and json.loads(a.stdout)["count"] == 25, a.stderr
    assert stack.canary_hits() == []


def test_wpectl_login_confidential_reads_the_client_secret_from_stdin(stack, tmp_path):
    log = tmp_path / "browser.log"
    r = stack.ctl("login", "--profile", "confidential", "--oauth", "--client-secret-stdin",
                  input=stack.info["client_secret"] + "\n", env=browser_env(stack, log),
                  timeout=60)
    assert r.returncode == 0, r.stderr
    assert stack.ctl("token", "--profile", "confidential").returncode == 0
    assert counter(stack, "grants", "authorization_code") == 1
    assert stack.canary_hits() == []


def test_wpectl_login_no_browser_prints_the_url_and_a_denied_login_fails(stack):
    import subprocess
    from harness import WPECTL
    stack.sandbox.control("POST", "/authorize", {"deny": True, "error_description": HOSTILE})
    proc = subprocess.Popen([WPECTL, "login", "--profile", "oauth", "--oauth", "--no-browser"],
                            env=stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "http" not in line:
            line = proc.stderr.readline()
            assert line, "wpectl printed no URL"
        url = line[line.index("https://"):].strip()
        visit(redirect_of(stack, url))
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert "access_denied" in err
    assert "\x1b" not in err and "\x07" not in err
    t = stack.ctl("token", "--profile", "oauth")
    assert t.returncode == 4, (t.returncode, t.stderr)


def list_requests(stack):
    """Upstream requests for the three lists so far, by path ("GET /v1/sites?…" → count)."""
    by_path = stack.sandbox.counters()["by_path"]
    return {k: v for k, v in by_path.items()
            if any(f" /v1/{kind}" in k for kind in ("sites", "installs", "accounts"))}


def test_a_login_after_the_first_look_syncs_the_lists_once(stack):
    # From 5 s after the start the profile's timer also notices a credential that became
    # ready, and an OAuth login wakes it: that wake and the login's own request for a sync
    # used to run two syncs back to back (every list fetched twice).
    wait_for(lambda: stack.request_json("GET", "/v1/status")[2]["uptime_seconds"] >= 6,
             timeout=30, what="the daemon's first look at its profiles (5 s) to pass")
    before = list_requests(stack)
    oauth_login(stack)
    stack.wait_every_list_synced("oauth")
    first = list_requests(stack)
    assert first != before
    # A second sync would start as soon as the first ends: nothing more may come.
    quiet_until = time.monotonic() + 2.0
    wait_for(lambda: list_requests(stack) != first or time.monotonic() > quiet_until,
             timeout=30, what="two quiet seconds after the first sync")
    assert list_requests(stack) == first, "the lists were fetched again right after the login"
    fetched = {k: v - before.get(k, 0) for k, v in first.items() if v != before.get(k, 0)}
    assert fetched and all(n == 1 for n in fetched.values()), fetched
