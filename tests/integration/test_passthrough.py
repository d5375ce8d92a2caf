"""The authenticated passthrough end to end: /v1/profiles/{p}/api/{path} forwards to the
profile's api_url with its Authorization and hands back the API's answer unchanged; writes
mark the cached lists stale and resync them; paths cannot climb out of api_url
(docs/interface.md "Local API"; docs/security.md rules 3, 11, 12)."""

import json
import threading
import time


from harness import wait_for


# --- helpers (local to this module) -----------------------------------------------------


def raw(stack, method, path, body=None, headers=None):
    """(status, headers, body text) from the local API."""
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
        headers = {"Content-Type": "application/json", **(headers or {})}
    return stack.daemon.request(method, path, body, headers=headers, timeout=60)


def direct(stack, method, path, body=None):
    """The same request straight to the sandbox with the API key: (status, headers, bytes)."""
    headers = {"Authorization": stack.sandbox.api_key_header()}
    return stack.sandbox.request(method, path, body=body, headers=headers)


def login_and_sync(stack):
    status, _, body = raw(stack, "POST", "/v1/profiles/default/login",
                          {"method": "api_key", "api_key": stack.info["api_key"]})
    assert status == 200, body
    status, _, body = raw(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200, body
    return json.loads(body)


def cached_site_ids(stack):
    status, _, body = raw(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200
    doc = json.loads(body)
    return {s["id"] for s in doc["results"]}, doc


# --- tests --------------------------------------------------------------------------------

def test_get_returns_the_api_body_unchanged(stack):
    login_and_sync(stack)
    status, headers, body = raw(stack, "GET", "/v1/profiles/default/api/sites?limit=2&offset=3")
    d_status, d_headers, d_body = direct(stack, "GET", "/v1/sites?limit=2&offset=3")
    assert status == d_status == 200
    assert body.encode() == d_body
    assert headers["Content-Type"].startswith("application/json")
    assert len(json.loads(body)["results"]) == 2


def test_an_answer_without_a_content_type_gets_none_from_wped(stack):
    # The API's answer is handed back as it came: a body the API gave no media type is not
    # given an empty (invalid) Content-Type line, nor one wped made up.
    login_and_sync(stack)
    stack.sandbox.fault(path="/v1/sites", status=202, body="queued", content_type="", count=1)
    answer = stack.daemon.raw(b"GET /v1/profiles/default/api/sites?limit=1 HTTP/1.1\r\n"
                              b"Host: wped\r\nConnection: close\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 202 "), answer
    assert b"content-type" not in head.lower(), head
    assert b"\r\nContent-Length: 6" in head and body == b"queued"


def test_not_found_passes_through_with_its_body(stack):
    login_and_sync(stack)
    status, _, body = raw(stack, "GET", "/v1/profiles/default/api/sites/no-such-site")
    d_status, _, d_body = direct(stack, "GET", "/v1/sites/no-such-site")
    assert status == d_status == 404
    assert body.encode() == d_body


def test_post_creates_a_site_then_the_cache_resyncs(stack):
    login_and_sync(stack)
    before, _ = cached_site_ids(stack)
    account = json.loads(direct(stack, "GET", "/v1/accounts?limit=1")[2])["results"][0]["id"]
    status, _, body = raw(stack, "POST", "/v1/profiles/default/api/sites",
                          {"name": "Passthrough Test Site", "account_id": account})
    assert status == 201, body
    created = json.loads(body)
    assert created["name"] == "Passthrough Test Site" and created["id"] not in before
    # Unchanged: the API's own rendering of the new site.
    assert created == json.loads(direct(stack, "GET", f"/v1/sites/{created['id']}")[2])
    ids, doc = wait_for(lambda: (lambda r: r if created["id"] in r[0] else None)(
        cached_site_ids(stack)), what="the new site in the cached list")
    assert ids == before | {created["id"]}
    assert doc["count"] == len(before) + 1
    wait_for(lambda: cached_site_ids(stack)[1]["stale"] is False,
             what="the list to be fresh again after the resync")


def test_validation_errors_pass_through_unchanged(stack):
    login_and_sync(stack)
    wait_for(lambda: quiet(stack), what="the first sync to finish")
    stack.sandbox.reset_counters()
    status, _, body = raw(stack, "POST", "/v1/profiles/default/api/sites", {"name": ""})
    assert status == 400, body
    d_status, _, d_body = direct(stack, "POST", "/v1/sites", {"name": ""})
    assert d_status == 400 and json.loads(body) == json.loads(d_body)
    assert json.loads(body)["errors"], body
    # A refused write changes nothing upstream: no resync follows.
    assert stack.sandbox.counters()["by_path"].get("GET /v1/sites", 0) == 0


def test_a_write_during_a_sync_still_shows_up_soon(make_stack):
    stack = make_stack(sites=2500)
    login_and_sync(stack)
    wait_for(lambda: quiet(stack), timeout=30, what="the first sync to finish")
    stack.sandbox.control("POST", "/latency", {"ms": 80})
    stack.sandbox.reset_counters()
    walk = threading.Thread(target=lambda: raw(stack, "POST", "/v1/profiles/default/sync"))
    walk.start()
    wait_for(lambda: stack.sandbox.counters()["by_path"].get("GET /v1/sites", 0) >= 2,
             what="a walk of the sites to be under way")
    account = json.loads(direct(stack, "GET", "/v1/accounts?limit=1")[2])["results"][0]["id"]
    status, _, body = raw(stack, "POST", "/v1/profiles/default/api/sites",
                          {"name": "Mid Walk Site", "account_id": account})
    assert status == 201, body
    created = json.loads(body)["id"]
    walk.join(timeout=60)
    stack.sandbox.control("POST", "/latency", {"ms": 0})
    # The walk begun before the write may miss the site; the resync the write asked for must
    # not just join that walk.
    wait_for(lambda: created in cached_site_ids(stack)[0], timeout=20,
             what="the site created mid-walk in the cached list")


def quiet(stack):
    """True once every list is synced and no sync runs (the sandbox sees no more requests)."""
    status, _, body = raw(stack, "GET", "/v1/status")
    p = next(p for p in json.loads(body)["profiles"] if p["name"] == "default")
    return all(p[f"{k}_synced_at"] != "never" and f"{k}_syncing" not in p
               for k in ("sites", "installs", "accounts"))


def test_paths_cannot_leave_api_url(stack):
    login_and_sync(stack)
    wait_for(lambda: quiet(stack), what="the first sync to finish")
    stack.sandbox.reset_counters()
    for path in ("sites/../accounts", "sites/%2e%2e/accounts", "..", "sites/%2E%2E",
                 "sites/..%2faccounts"):
        status, _, body = raw(stack, "GET", "/v1/profiles/default/api/" + path)
        assert status == 400, (path, status, body)
        assert json.loads(body)["error"]["code"] == "bad_request"
    assert stack.sandbox.counters()["requests"] == 0


def test_retry_after_from_a_429_passes_through(stack):
    login_and_sync(stack)
    # A write is never retried by wped: the caller sees the API's 429 and its Retry-After.
    stack.sandbox.fault(path="/v1/sites", method="POST", status=429, retry_after="3",
                        body='{"message":"Too many requests"}')
    status, headers, body = raw(stack, "POST", "/v1/profiles/default/api/sites",
                                {"name": "x", "account_id": "y"})
    assert status == 429 and headers.get("Retry-After") == "3", (status, headers)
    assert json.loads(body) == {"message": "Too many requests"}
    # The profile is held back until then (test_rate_limit.py); then a read asked to wait longer than wped waits inside one call comes back at once too.
    wait_for(lambda: "rate_limit_until" not in stack.profile_status(), timeout=10,
             what="the 429 window to end")
    stack.sandbox.fault(path="/v1/sites", method="GET", status=429, retry_after="120")
    started = time.monotonic()
    status, headers, body = raw(stack, "GET", "/v1/profiles/default/api/sites?limit=1")
    assert time.monotonic() - started < 10
    assert status == 429 and headers.get("Retry-After") == "120", (status, headers)


def test_logged_out_profile_gets_login_required(stack):
    status, _, body = raw(stack, "GET", "/v1/profiles/default/api/sites")
    assert status == 401 and json.loads(body)["error"]["code"] == "login_required"
    status, _, body = raw(stack, "GET", "/v1/profiles/nope/api/sites")
    assert status == 404


def test_wpectl_api_passthrough(stack):
    login_and_sync(stack)
    r = stack.ctl("api", "/sites?limit=2")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(direct(stack, "GET", "/v1/sites?limit=2")[2])
    r = stack.ctl("api", "/sites/no-such-site")
    assert r.returncode == 1


def test_no_secret_leaks_after_passthrough(stack):
    login_and_sync(stack)
    assert raw(stack, "GET", "/v1/profiles/default/api/user")[0] == 200
    account = json.loads(direct(stack, "GET", "/v1/accounts?limit=1")[2])["results"][0]["id"]
    status, _, body = raw(stack, "POST", "/v1/profiles/default/api/sites",
                          {"name": "Leak Check", "account_id": account})
    assert status == 201
    site = json.loads(body)["id"]
    assert raw(stack, "DELETE", f"/v1/profiles/default/api/sites/{site}")[0] == 204
    stack.sandbox.fault(path="/v1/user", status=401, body='{"message":"Bad Credentials"}')
    assert raw(stack, "GET", "/v1/profiles/default/api/user")[0] == 401
    stack.daemon.stop()
    assert stack.canary_hits() == []
