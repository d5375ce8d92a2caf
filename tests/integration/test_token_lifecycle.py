"""OAuth tokens after the login: scheduled and on-demand refresh, single flight, failures of
the refresh (invalid_grant, a lost rotation, 429), the API's 401, restart and logout — the real
wped against wpe-sandbox, driven over its socket."""

import datetime
import json
import os
import threading
import time

from harness import wait_for
from oauth_flow import (api, counter, keyring_items, oauth_login, profile_status, stored_grant,
                        token, token_requests)


def expires_in(token_body):
    at = datetime.datetime.fromisoformat(token_body["expires_at"].replace("Z", "+00:00"))
    return at.timestamp() - time.time()


def refresh_requests(stack):
    return counter(stack, "grants", "refresh_token")


def run_threads(n, target):
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_eight_clients_for_a_minute_with_six_second_tokens_never_see_a_401(make_stack):
    ttl, duration, clients = 6, 65.0, 8
    stack = make_stack(token_ttl=ttl)
    oauth_login(stack)
    stack.sandbox.reset_counters()

    results = [[] for _ in range(clients)]
    stop_at = time.monotonic() + duration

    def client(i):
        while time.monotonic() < stop_at:
            status, _ = api(stack, "sites?limit=1")
            results[i].append(status)

    run_threads(clients, client)
    statuses = [s for r in results for s in r]
    c = stack.sandbox.counters()
    assert len(statuses) > clients * 20, len(statuses)
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert c["by_status"].get("401", 0) == 0, c
    # Every token lives 6 s and none may expire in use: at least one refresh per lifetime
    # (the login's token covers the first one). The refresh is due at expiry − lead with
    # lead ≤ lifetime/2, so never more often than every 3 s.
    refreshes = c["grants"]["refresh_token"]
    print(f"{len(statuses)} requests, {refreshes} refreshes in {duration:.0f} s")
    assert duration / ttl - 1 <= refreshes <= duration / (ttl / 2) + 1, c
    assert stack.canary_hits() == []


def test_fifty_concurrent_token_requests_at_the_deadline_share_one_refresh(stack):
    oauth_login(stack)
    status, _, first = token(stack)
    assert status == 200
    min_valid = 3594  # more than what is left of the first token once a few seconds pass
    wait_for(lambda: expires_in(first) < min_valid - 1, timeout=15,
             what="the first token to have less than min_valid left")
    before = refresh_requests(stack)

    barrier = threading.Barrier(50)
    answers = [None] * 50

    def client(i):
        barrier.wait()
        answers[i] = token(stack, min_valid=min_valid)

    run_threads(50, client)
    assert [a[0] for a in answers] == [200] * 50, [a for a in answers if a[0] != 200][:3]
    tokens = {a[2]["access_token"] for a in answers}
    assert len(tokens) == 1 and first["access_token"] not in tokens
    assert refresh_requests(stack) - before == 1
    assert stack.sandbox.token_active(tokens.pop())


def hook_script(tmp_path):
    out = tmp_path / "hook.out"
    script = tmp_path / "hook.py"
    script.write_text(f"""#!/usr/bin/python3
import json, os, sys
fds = []
for fd in range(3, 1024):
    try:
        os.fstat(fd)
        fds.append(fd)
    except OSError:
        pass
with open("/proc/self/status") as f:
    blocked = [l.split()[1] for l in f if l.startswith("SigBlk:")][0]
with open({str(out)!r}, "a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "fds": fds, "blocked": blocked}}) + "\\n")
""")
    os.chmod(script, 0o755)
    return script, out


def hook_runs(out):
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


def test_invalid_grant_on_refresh_means_login_required_and_the_hook_runs_once(make_stack,
                                                                              tmp_path):
    script, out = hook_script(tmp_path)
    stack = make_stack(token_ttl=6, daemon_config={"daemon": {"on_login_required": str(script)}})
    stack.sandbox.fault(path="/oauth/token", grant_type="refresh_token", status=400,
                        body='{"error":"invalid_grant"}')
    oauth_login(stack)

    wait_for(lambda: profile_status(stack)["state"] == "login_required", timeout=15,
             what="login_required after the scheduled refresh")
    wait_for(lambda: hook_runs(out), timeout=10, what="the on_login_required hook")
    for _ in range(3):  # asking again must not refresh again nor re-run the hook
        status, _, body = token(stack)
        assert status == 401 and body["error"]["code"] == "login_required", body
        assert api(stack, "sites?limit=1")[0] == 401
    t = stack.ctl("token", "--profile", "oauth")
    assert t.returncode == 4 and "login" in t.stderr, (t.returncode, t.stderr)
    p = profile_status(stack)
    assert p["state"] == "login_required" and p["token_state"] == "login_required", p
    assert counter(stack, "by_path", "POST /oauth/token") == 2  # the code + one refresh
    runs = hook_runs(out)
    assert len(runs) == 1, runs
    assert runs[0]["argv"] == ["oauth"]
    assert runs[0]["blocked"] == "0000000000000000", "the hook inherited a blocked signal mask"
    assert runs[0]["fds"] == [], "the hook inherited descriptors beyond 0-2"
    assert keyring_items(stack) == ""
    assert stack.canary_hits() == []


def test_a_lost_rotation_response_is_retried_once_then_login_required(make_stack):
    stack = make_stack(token_ttl=6)
    stack.sandbox.fault(path="/oauth/token", grant_type="refresh_token",
                        action="drop_after_processing")
    oauth_login(stack)
    wait_for(lambda: profile_status(stack)["state"] == "login_required", timeout=20,
             what="login_required after the replayed refresh token")
    for _ in range(3):
        assert token(stack)[0] == 401
        assert api(stack, "sites?limit=1")[0] == 401
    c = stack.sandbox.counters()
    # The dropped refresh was processed (rotation), its retry presented the dead token.
    assert c["by_path"]["POST /oauth/token"] == 3, c
    assert c["grants"]["refresh_token"] == 1, c
    assert c["by_status"].get("dropped") == 1, c


def test_429_with_retry_after_delays_the_next_refresh(make_stack):
    stack = make_stack(token_ttl=6)
    stack.sandbox.fault(path="/oauth/token", grant_type="refresh_token", status=429,
                        retry_after="3")
    oauth_login(stack)
    assert token_requests(stack) == 1
    times = {}

    def seen(n):
        if token_requests(stack) >= n:
            times.setdefault(n, time.monotonic())
            return True
        return False

    wait_for(lambda: seen(2), timeout=15, what="the refresh answered 429")
    # The current token still has about half its life: the passthrough keeps working and
    # does not bring the retry forward.
    assert api(stack, "sites?limit=1")[0] == 200
    assert token_requests(stack) == 2
    status, _, body = token(stack, min_valid=5)  # an explicit demand is told to wait
    assert status == 429 and body["error"]["code"] == "rate_limited", body
    assert token_requests(stack) == 2
    wait_for(lambda: seen(3), timeout=15, what="the retried refresh")
    # Polled every 20 ms: the observed gap is at most one poll shorter than the real one.
    assert times[3] - times[2] >= 3.0 - 0.1, times
    assert refresh_requests(stack) == 1
    wait_for(lambda: profile_status(stack)["token_state"] == "valid", what="a valid token")
    assert token(stack)[0] == 200


def test_api_401_on_a_token_believed_valid_refreshes_once_and_retries(stack):
    oauth_login(stack)
    # The login's first sync must be over: its requests would meet the expired token too.
    stack.wait_every_list_synced("oauth")
    old = token(stack)[2]["access_token"]

    # 1. The server expired every access token early.
    stack.sandbox.control("POST", "/tokens", {"action": "expire"})
    status, body = api(stack, "sites?limit=1")
    assert status == 200, body
    c = stack.sandbox.counters()
    assert c["grants"]["refresh_token"] == 1 and c["by_status"]["401"] == 1, c
    assert token(stack)[2]["access_token"] != old

    # 2. The access token alone was revoked (RFC 7009).
    current = token(stack)[2]["access_token"]
    status, _, _ = stack.sandbox.revoke({"token": current, "token_type_hint": "access_token",
                                         "client_id": stack.info["client_id"]})
    assert status == 200
    status, body = api(stack, "sites?limit=1")
    assert status == 200, body
    assert refresh_requests(stack) == 2

    # 3. A 401 with WWW-Authenticate from the API itself.
    stack.sandbox.fault(path="/v1/sites", status=401, body='{"message":"Bad Credentials"}',
                        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    status, body = api(stack, "sites?limit=1")
    assert status == 200, body
    assert refresh_requests(stack) == 3
    assert counter(stack, "by_status", "401") == 3
    assert profile_status(stack)["state"] == "ready"


def test_restart_restores_tokens_and_logout_revokes_them(stack):
    oauth_login(stack)
    status, _, before = token(stack)
    assert status == 200
    stack.daemon.stop()
    stack.daemon.start()

    wait_for(lambda: profile_status(stack)["state"] == "ready", what="the restored grant")
    status, _, after = token(stack)
    assert status == 200 and after["access_token"] == before["access_token"]
    assert api(stack, "sites?limit=1")[0] == 200
    assert counter(stack, "grants", "authorization_code") == 1  # no new login

    grant = stored_grant(stack)
    refresh_token = grant["refresh_token"]
    status, _, body = stack.request_json("POST", "/v1/profiles/oauth/logout")
    assert status in (200, 204), body
    c = stack.sandbox.counters()
    assert c["revocations"] >= 1, c
    assert stack.sandbox.token_active(refresh_token) is False
    assert stack.sandbox.token_active(after["access_token"]) is False
    status, _, _ = stack.sandbox.get("/v1/sites?limit=1", "Bearer " + after["access_token"])
    assert status == 401
    assert keyring_items(stack) == ""
    status, _, body = token(stack)
    assert status == 401 and body["error"]["code"] == "login_required"
    assert profile_status(stack)["state"] == "logged_out"
    assert stack.canary_hits() == []


def test_restart_after_the_access_token_expired_refreshes_without_a_new_login(make_stack):
    stack = make_stack(token_ttl=6)
    oauth_login(stack)
    old = token(stack)[2]["access_token"]
    stack.daemon.stop()
    wait_for(lambda: not stack.sandbox.token_active(old), timeout=15,
             what="the access token to expire while wped is stopped")
    refreshes = refresh_requests(stack)
    stack.daemon.start()

    status, body = api(stack, "sites?limit=1")
    assert status == 200, body
    status, _, now = token(stack)
    assert status == 200 and now["access_token"] != old
    assert stack.sandbox.token_active(now["access_token"])
    assert counter(stack, "grants", "authorization_code") == 1
    assert refresh_requests(stack) > refreshes
    assert counter(stack, "by_status", "401") == 0  # the expired token was never sent


def test_many_clients_hit_by_one_early_expiry_share_one_refresh(stack):
    oauth_login(stack)
    assert api(stack, "sites?limit=1")[0] == 200
    stack.sandbox.control("POST", "/tokens", {"action": "expire"})
    barrier = threading.Barrier(20)
    statuses = [None] * 20

    def client(i):
        barrier.wait()
        statuses[i] = api(stack, "sites?limit=1")[0]

    run_threads(20, client)
    assert statuses == [200] * 20
    assert refresh_requests(stack) == 1


def test_confidential_client_refreshes_after_restart_and_logs_out(stack):
    secret = stack.info["client_secret"]
    oauth_login(stack, "confidential", client_secret=secret)
    stack.daemon.stop()
    stack.daemon.start()
    wait_for(lambda: profile_status(stack, "confidential")["state"] == "ready",
             what="the restored confidential grant")
    # The refresh authenticates with the client secret restored from the keyring.
    stack.sandbox.control("POST", "/tokens", {"action": "expire"})
    status, body = api(stack, "sites?limit=1", "confidential")
    assert status == 200, body
    assert refresh_requests(stack) == 1
    current = token(stack, "confidential")[2]["access_token"]
    refresh_token = stored_grant(stack, "confidential")["refresh_token"]

    status, _, body = stack.request_json("POST", "/v1/profiles/confidential/logout")
    assert status in (200, 204), body
    assert counter(stack, "revocations") == 1
    assert stack.sandbox.token_active(refresh_token) is False
    assert stack.sandbox.token_active(current) is False
    assert keyring_items(stack, "confidential") == ""
    status, _, data = stack.request_json("GET", "/v1/status")
    assert "wpecanary" not in json.dumps(data)
    assert stack.canary_hits() == []


def test_a_keyring_write_failing_after_refresh_keeps_tokens_in_memory_and_recovers(stack):
    import signal
    oauth_login(stack)
    old_refresh = stored_grant(stack)["refresh_token"]
    keyring_pid = stack.keyring._keyring.pid  # the gnome-keyring-daemon of this stack
    stack.sandbox.control("POST", "/tokens", {"action": "expire"})
    os.kill(keyring_pid, signal.SIGSTOP)
    try:
        status, body = api(stack, "sites?limit=1")  # 401 → refresh → the save times out
        assert status == 200, body
        p = profile_status(stack)
        assert str(p.get("persistence_pending", "")).startswith("true"), p
        assert p["token_state"] == "valid", p
        assert refresh_requests(stack) == 1
    finally:
        os.kill(keyring_pid, signal.SIGCONT)
    wait_for(lambda: "persistence_pending" not in profile_status(stack), timeout=20,
             what="the pending tokens to reach the keyring")
    stored = stored_grant(stack)["refresh_token"]
    assert stored != old_refresh and stack.sandbox.token_active(stored)
    stack.daemon.stop()
    stack.daemon.start()
    wait_for(lambda: profile_status(stack)["state"] == "ready", what="the restored grant")
    assert api(stack, "sites?limit=1")[0] == 200
    assert counter(stack, "grants", "authorization_code") == 1
