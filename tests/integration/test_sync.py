"""The site cache end to end: wped walking a 2,500-site account in the real wpe-sandbox, one
walk per refresh however many callers ask, riding out a 503 with Retry-After, and keeping the
old list (and saying so) when the API keeps failing (docs/local-api.md; docs/architecture.md "Flows")."""

import json
import threading
import time
import urllib.parse


from harness import wait_for

PAGES_2500 = 25  # 2,500 sites at the API's page size of 100


# --- helpers (local to this module) -----------------------------------------------------


def call(stack, method, path, body=None, timeout=120.0):
    data = None if body is None else json.dumps(body)
    status, headers, text = stack.daemon.request(method, path, data, timeout=timeout)
    return status, headers, (json.loads(text) if text else None)


def login(stack):
    status, _, body = call(stack, "POST", "/v1/profiles/default/login",
                           {"method": "api_key", "api_key": stack.info["api_key"]})
    assert status == 200, body


def profile_state(stack, name="default"):
    status, _, doc = call(stack, "GET", "/v1/status")
    assert status == 200
    return next(p for p in doc["profiles"] if p["name"] == name)


def all_synced(stack):
    p = profile_state(stack)
    return all(p.get(f"{k}_synced_at", "never") != "never" and p.get(f"{k}_syncing") != "true"
               for k in ("sites", "installs", "accounts")) and p


def sites_gets(stack):
    return stack.sandbox.counters()["by_path"].get("GET /v1/sites", 0)


def sandbox_total(stack, kind):
    status, _, page = stack.sandbox.get(f"/v1/{kind}?limit=1", stack.sandbox.api_key_header())
    assert status == 200
    return page["count"]


def logged_in_and_synced(make_stack, **kw):
    stack = make_stack(**kw)
    login(stack)
    wait_for(lambda: all_synced(stack), timeout=60, what="the first sync of every list")
    return stack


# --- tests --------------------------------------------------------------------------------

def test_2500_sites_every_site_once_and_refresh_waits_for_one_walk(make_stack):
    stack = logged_in_and_synced(make_stack, sites=2500)
    status, _, sites = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200
    ids = [s["id"] for s in sites["results"]]
    assert len(ids) == len(set(ids)) == sites["count"] == sandbox_total(stack, "sites") == 2500
    status, _, installs = call(stack, "GET", "/v1/profiles/default/installs")
    assert status == 200
    install_ids = {i["id"] for i in installs["results"]}
    assert len(install_ids) == installs["count"] == sandbox_total(stack, "installs")
    assert sites["stale"] is False and sites["synced_at"].endswith("Z")

    # ?refresh=1 forces a walk and answers only once it is done.
    stack.sandbox.reset_counters()
    status, _, refreshed = call(stack, "GET", "/v1/profiles/default/sites?refresh=1")
    assert status == 200 and refreshed["count"] == 2500 and refreshed["stale"] is False
    assert sites_gets(stack) == PAGES_2500

    # Concurrent refreshes share one walk. Latency makes the walk long enough that all of them
    # arrive while it runs.
    stack.sandbox.control("POST", "/latency", {"ms": 60})
    stack.sandbox.reset_counters()
    results = []

    def refresh():
        results.append(call(stack, "GET", "/v1/profiles/default/sites?refresh=1"))

    threads = [threading.Thread(target=refresh) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    stack.sandbox.control("POST", "/latency", {"ms": 0})
    assert [r[0] for r in results] == [200] * 6
    assert all(r[2]["count"] == 2500 for r in results)
    assert sites_gets(stack) == PAGES_2500, stack.sandbox.counters()


def test_503_with_retry_after_mid_sync_is_honoured_and_the_sync_completes(make_stack):
    stack = logged_in_and_synced(make_stack, sites=600)
    # Slow pages so the fault can be queued after the walk has begun: it then hits a later
    # page (offset > 0), not the first. 400 ms leaves room for a loaded CI machine between
    # seeing the first request and queuing the fault.
    stack.sandbox.control("POST", "/latency", {"ms": 400})
    stack.sandbox.reset_counters()
    outcome = {}

    def refresh():
        started = time.monotonic()
        outcome["answer"] = call(stack, "GET", "/v1/profiles/default/sites?refresh=1")
        outcome["seconds"] = time.monotonic() - started

    t = threading.Thread(target=refresh)
    t.start()
    wait_for(lambda: sites_gets(stack) >= 1, what="the walk to start")
    stack.sandbox.fault(path="/v1/sites", status=503, retry_after="2", count=1)
    t.join(timeout=60)
    stack.sandbox.control("POST", "/latency", {"ms": 0})
    status, _, sites = outcome["answer"]
    assert status == 200, sites
    counters = stack.sandbox.counters()
    assert counters["by_status"].get("503") == 1, counters
    assert sites["count"] == 600 and len({s["id"] for s in sites["results"]}) == 600
    assert sites["stale"] is False and sites["last_error"] is None
    # The retry of the page waited at least Retry-After: the whole refresh cannot be faster.
    assert outcome["seconds"] >= 2.0, outcome["seconds"]
    assert sites_gets(stack) == 7  # 6 pages + the one retry


def test_persistent_500s_keep_the_old_list_and_status_says_why(make_stack):
    stack = logged_in_and_synced(make_stack)
    _, _, before = call(stack, "GET", "/v1/profiles/default/sites")
    stack.sandbox.fault(path="/v1/sites", status=500, count=100,
                        body='{"message":"upstream is having a bad day"}')
    status, _, body = call(stack, "GET", "/v1/profiles/default/sites?refresh=1")
    assert status == 502 and body["error"]["code"] == "upstream_error", body
    assert "500" in body["error"]["message"]
    # The old list is still served, marked stale, with the error and its age.
    status, _, after = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 200
    assert after["results"] == before["results"] and after["synced_at"] == before["synced_at"]
    assert after["stale"] is True and "500" in after["last_error"]
    p = profile_state(stack)
    assert p["sites_stale"] == "true" and "500" in p["sites_error"]
    assert p["sites_synced_at"] == before["synced_at"]
    stack.sandbox.clear_faults()


def test_wpectl_sites_refresh_fails_clearly_while_plain_sites_prints_the_old_list(make_stack):
    stack = logged_in_and_synced(make_stack)
    names = [s["name"] for s in call(stack, "GET", "/v1/profiles/default/sites")[2]["results"]]
    stack.sandbox.fault(path="/v1/sites", status=500, count=100)
    r = stack.ctl("sites", "--refresh", timeout=120)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("wpectl: ") and "500" in r.stderr
    r = stack.ctl("sites")
    assert r.returncode == 0, r.stderr
    assert all(name in r.stdout for name in names)
    doc = stack.ctl_json("sites")
    assert doc["stale"] is True and len(doc["results"]) == len(names)
    stack.sandbox.clear_faults()


def test_no_secret_leaks_after_syncs(make_stack):
    stack = logged_in_and_synced(make_stack, sites=300)
    stack.sandbox.fault(path="/v1/sites", status=503, retry_after="1", count=1)
    assert call(stack, "GET", "/v1/profiles/default/sites?refresh=1")[0] == 200
    assert call(stack, "POST", "/v1/profiles/default/sync")[0] == 200
    stack.daemon.stop()
    assert stack.canary_hits() == []




def test_logout_during_a_sync_leaves_no_list_behind(make_stack):
    stack = logged_in_and_synced(make_stack, sites=2500)
    stack.sandbox.control("POST", "/latency", {"ms": 100})
    stack.sandbox.reset_counters()
    outcome = {}
    t = threading.Thread(target=lambda: outcome.update(
        answer=call(stack, "GET", "/v1/profiles/default/sites?refresh=1")))
    t.start()
    wait_for(lambda: sites_gets(stack) >= 2, what="the walk to be under way")
    status, _, body = call(stack, "POST", "/v1/profiles/default/logout")
    assert status == 200, body
    t.join(timeout=60)
    stack.sandbox.control("POST", "/latency", {"ms": 0})
    # The walk that was under way when the user logged out must not bring the list back.
    assert stack.cache_rows() == 0 and stack.cache_rows("installs") == 0
    status, _, body = call(stack, "GET", "/v1/profiles/default/sites")
    assert status == 401 and body["error"]["code"] == "login_required", body


def test_one_site_by_id_or_name_and_an_explicit_sync(make_stack):
    stack = logged_in_and_synced(make_stack)
    _, _, sites = call(stack, "GET", "/v1/profiles/default/sites")
    site = sites["results"][3]
    status, _, by_id = call(stack, "GET", f"/v1/profiles/default/sites/{site['id']}")
    assert status == 200 and by_id == site
    status, _, by_name = call(stack, "GET", "/v1/profiles/default/sites/" +
                              urllib.parse.quote(site["name"]))
    assert status == 200 and by_name == site
    status, _, body = call(stack, "GET", "/v1/profiles/default/sites/no-such-site")
    assert status == 404 and body["error"]["code"] == "not_found", body
    _, _, installs = call(stack, "GET", "/v1/profiles/default/installs")
    install = installs["results"][0]
    status, _, one = call(stack, "GET", f"/v1/profiles/default/installs/{install['name']}")
    assert status == 200 and one == install
    accounts = sandbox_total(stack, "accounts")
    stack.sandbox.reset_counters()
    status, _, body = call(stack, "POST", "/v1/profiles/default/sync")
    assert status == 200, body
    assert body["sites"]["count"] == 25 and body["sites"]["stale"] is False
    assert body["accounts"]["count"] == accounts
    by_path = stack.sandbox.counters()["by_path"]
    assert by_path["GET /v1/sites"] == 1 and by_path["GET /v1/installs"] >= 1
    assert by_path["GET /v1/accounts"] == 1


def test_wpectl_lists_and_one_site(make_stack):
    stack = logged_in_and_synced(make_stack)
    _, _, sites = call(stack, "GET", "/v1/profiles/default/sites")
    doc = stack.ctl_json("sites")
    assert doc["results"] == sites["results"] and doc["stale"] is False
    site = sites["results"][5]
    r = stack.ctl("site", site["name"], "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == site, r.stderr
    r = stack.ctl("site", "no-such-site")
    assert r.returncode == 1 and r.stderr.startswith("wpectl: "), (r.returncode, r.stderr)
    installs = stack.ctl_json("installs")
    assert len(installs["results"]) == sandbox_total(stack, "installs")
    accounts = stack.ctl_json("accounts", "--refresh")
    assert len(accounts["results"]) == sandbox_total(stack, "accounts")
    r = stack.ctl("sites")
    assert r.returncode == 0 and site["name"] in r.stdout


def test_all_lists_share_eight_requests_in_flight(make_stack):
    # Issue 10: one budget of 8 for all the lists of a profile (no longer 4 per list).
    stack = logged_in_and_synced(make_stack, sites=2500)
    stack.sandbox.control("POST", "/latency", {"ms": 40})
    stack.sandbox.reset_counters()
    status, _, body = call(stack, "POST", "/v1/profiles/default/sync")
    stack.sandbox.control("POST", "/latency", {"ms": 0})
    assert status == 200, body
    counters = stack.sandbox.counters()
    assert counters["max_in_flight"] <= 8, counters
    assert counters["max_in_flight"] > 4, counters  # more than one list's old share


def test_a_list_written_early_stays_whole_when_a_later_list_fails(make_stack):
    stack = logged_in_and_synced(make_stack, sites=2500)
    _, _, sites_before = call(stack, "GET", "/v1/profiles/default/sites")
    _, _, installs_before = call(stack, "GET", "/v1/profiles/default/installs")
    time.sleep(1.1)  # synced_at has a resolution of a second
    # Every installs page fails (404: not retried); sites and accounts are fetched and written.
    stack.sandbox.fault(path="/v1/installs", status=404, count=1000,
                        body='{"message":"scripted failure"}')
    status, _, body = call(stack, "POST", "/v1/profiles/default/sync")
    stack.sandbox.clear_faults()
    assert status >= 400, body
    _, _, sites = call(stack, "GET", "/v1/profiles/default/sites")
    assert sites["stale"] is False and sites["last_error"] is None
    assert sites["synced_at"] > sites_before["synced_at"]
    assert sites["results"] == sites_before["results"] and sites["count"] == 2500
    _, _, installs = call(stack, "GET", "/v1/profiles/default/installs")
    assert installs["results"] == installs_before["results"]
    assert installs["synced_at"] == installs_before["synced_at"]
    assert installs["stale"] is True and "404" in installs["last_error"]
