"""The passthrough as a good citizen of WP Engine's rate limit: one 429/Retry-After backoff per
profile shared by every local client and the sync (nothing goes upstream until the API's time
is up; wped answers 429 itself with the remaining Retry-After), and identical concurrent GETs
coalesced into one upstream request (never a write, never across profiles)."""

import json
import threading
import time

from harness import wait_for

SITES = "/v1/profiles/default/api/sites"


def request(stack, method, path, body=None, headers=None):
    if body is not None:
        body = json.dumps(body)
        headers = {"Content-Type": "application/json", **(headers or {})}
    return stack.daemon.request(method, path, body, headers=headers, timeout=60)


def facts(stack, name="default"):
    status, _, body = stack.daemon.request("GET", "/v1/status")
    assert status == 200
    return next(p for p in json.loads(body)["profiles"] if p["name"] == name)


def quiet(stack, name="default"):
    p = facts(stack, name)
    return all(p[f"{k}_synced_at"] != "never" and f"{k}_syncing" not in p
               for k in ("sites", "installs", "accounts")) and "account_email" in p


def logged_in_and_quiet(stack, profile="default"):
    stack.login_api_key(profile)
    wait_for(lambda: quiet(stack, profile), timeout=30, what="the first sync to finish")
    stack.sandbox.reset_counters()


def upstream(stack, key):
    return stack.sandbox.counters()["by_path"].get(key, 0)


def concurrently(n, call):
    """Runs call(i) on n threads released together; returns the results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_429_with_retry_after_holds_back_every_request_of_the_profile(stack):
    logged_in_and_quiet(stack)
    stack.sandbox.fault(path="/v1/sites", method="GET", status=429, retry_after="3",
                        body='{"message":"Too many requests"}')
    started = time.monotonic()
    status, headers, body = request(stack, "GET", SITES + "?limit=1")
    # The API's own 429 comes back as it was, at once (no retry inside the call).
    assert status == 429 and headers.get("Retry-After") == "3", (status, headers)
    assert "X-Wped-Error" not in headers
    assert json.loads(body) == {"message": "Too many requests"}
    assert upstream(stack, "GET /v1/sites") == 1
    until = facts(stack)["rate_limit_until"]
    assert until.endswith("Z")

    # Until the API's time is up every request of the profile, to any path, is wped's own
    # 429 with what remains of Retry-After, and none reaches the API.
    seen = []
    while True:
        path = SITES + "?limit=1" if len(seen) % 2 == 0 else "/v1/profiles/default/api/installs"
        status, headers, body = request(stack, "GET", path)
        if status != 429:
            break
        assert headers.get("X-Wped-Error") == "rate_limited", headers
        assert json.loads(body)["error"]["code"] == "rate_limited"
        seen.append(int(headers["Retry-After"]))
        assert time.monotonic() - started < 10, "the window never ended"
        time.sleep(0.1)  # a polite client's pace between requests, not a wait for a condition
    elapsed = time.monotonic() - started
    assert status == 200, (status, body)
    assert elapsed >= 2.5, elapsed
    assert len(seen) >= 5
    assert seen == sorted(seen, reverse=True) and seen[0] <= 3 and seen[-1] >= 1, seen
    assert len(set(seen)) >= 2, seen  # it counts down
    counters = stack.sandbox.counters()["by_path"]
    assert counters.get("GET /v1/sites", 0) + counters.get("GET /v1/installs", 0) == 2, counters
    p = facts(stack)
    assert p["rate_limited_answers"] == str(len(seen))
    assert "rate_limit_until" not in p

    # wpectl shows it to a person too.
    r = stack.ctl("status")
    assert f"{len(seen)} answered rate_limited by wped" in r.stdout, r.stdout


def test_the_backoff_is_per_profile(stack):
    logged_in_and_quiet(stack)
    stack.sandbox.fault(path="/v1/sites", method="GET", status=429, retry_after="30")
    assert request(stack, "GET", SITES)[0] == 429
    status, headers, _ = request(stack, "GET", SITES)
    assert status == 429 and headers.get("X-Wped-Error") == "rate_limited"
    # Another profile (the Basic one, its own credential) is not held back.
    r = stack.ctl("login", "--profile", "basic", "--basic", "--user", stack.info["user"],
                  input=stack.info["password"] + "\n")
    assert r.returncode == 0, r.stderr
    status, headers, _ = request(stack, "GET", "/v1/profiles/basic/api/sites?limit=1")
    assert status == 200, headers


def test_the_sync_waits_for_the_window_instead_of_hammering(stack):
    logged_in_and_quiet(stack)
    stack.sandbox.fault(path="/v1/accounts", method="GET", status=429, retry_after="3")
    started = time.monotonic()
    assert request(stack, "GET", "/v1/profiles/default/api/accounts")[0] == 429
    stack.sandbox.reset_counters()

    result = {}
    syncer = threading.Thread(target=lambda: result.update(
        answer=request(stack, "POST", "/v1/profiles/default/sync")))
    syncer.start()
    # While the window is open the sync sends nothing upstream.
    while "rate_limit_until" in facts(stack) and time.monotonic() - started < 2.5:
        assert stack.sandbox.counters()["requests"] == 0
        time.sleep(0.05)
    syncer.join(60)
    status, _, body = result["answer"]
    assert status == 200, body
    assert time.monotonic() - started >= 2.5
    # Then it went upstream and finished: every list fetched.
    counters = stack.sandbox.counters()["by_path"]
    for key in ("GET /v1/sites", "GET /v1/installs", "GET /v1/accounts"):
        assert counters.get(key, 0) >= 1, counters


def test_identical_concurrent_gets_share_one_upstream_request(stack):
    logged_in_and_quiet(stack)
    # 2 s: every thread is surely inside wped while the first request is still upstream.
    stack.sandbox.control("POST", "/latency", {"ms": 2000})
    answers = concurrently(10, lambda i: request(stack, "GET", SITES + "?limit=3&offset=1"))
    assert [a[0] for a in answers] == [200] * 10
    assert len({a[2] for a in answers}) == 1
    assert len(json.loads(answers[0][2])["results"]) == 3
    assert upstream(stack, "GET /v1/sites") == 1
    assert facts(stack)["passthrough_coalesced"] == "9"

    # A request after the answer came goes upstream again: this is not a cache.
    assert request(stack, "GET", SITES + "?limit=3&offset=1")[0] == 200
    assert upstream(stack, "GET /v1/sites") == 2


def test_different_paths_queries_or_accept_are_not_shared(stack):
    logged_in_and_quiet(stack)
    stack.sandbox.control("POST", "/latency", {"ms": 2000})
    targets = [SITES + "?limit=2", "/v1/profiles/default/api/installs?limit=2"] * 3
    answers = concurrently(6, lambda i: request(stack, "GET", targets[i]))
    assert [a[0] for a in answers] == [200] * 6
    counters = stack.sandbox.counters()["by_path"]
    assert counters.get("GET /v1/sites") == 1 and counters.get("GET /v1/installs") == 1, counters
    stack.sandbox.reset_counters()
    queries = ["?limit=2", "?limit=3"]
    concurrently(4, lambda i: request(stack, "GET", SITES + queries[i % 2]))
    assert upstream(stack, "GET /v1/sites") == 2
    stack.sandbox.reset_counters()
    accepts = ["application/json", "*/*"]
    concurrently(4, lambda i: request(stack, "GET", SITES + "?limit=2",
                                      headers={"Accept": accepts[i % 2]}))
    assert upstream(stack, "GET /v1/sites") == 2


def test_posts_are_never_coalesced(stack):
    logged_in_and_quiet(stack)
    status, _, body = request(stack, "GET", "/v1/profiles/default/api/accounts?limit=1")
    account = json.loads(body)["results"][0]["id"]
    stack.sandbox.control("POST", "/latency", {"ms": 1000})
    stack.sandbox.reset_counters()
    answers = concurrently(4, lambda i: request(stack, "POST", SITES,
                                                {"name": "Same Site", "account_id": account}))
    assert [a[0] for a in answers] == [201] * 4
    assert len({json.loads(a[2])["id"] for a in answers}) == 4
    assert upstream(stack, "POST /v1/sites") == 4
    assert facts(stack)["passthrough_coalesced"] == "0"
