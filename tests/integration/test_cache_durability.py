"""The site cache survives wped being killed mid-sync (docs/security.md rule 16, acceptance
case "kill -9 during a site sync, many times"): after every kill the database passes SQLite's
integrity check and holds exactly the old list or exactly the new one — never a torn mix — and the restarted
daemon serves it at once."""

import json
import random
import sqlite3
import threading

from harness import wait_for

SITES = 1500


def call(stack, method, path, body=None, timeout=60.0):
    data = None if body is None else json.dumps(body)
    try:
        status, _, text = stack.daemon.request(method, path, data, timeout=timeout)
    except OSError:  # the daemon was killed under this request
        return None, None
    return status, (json.loads(text) if text else None)




def cached_site_ids(stack):
    """The site ids in the cache file, read by SQLite itself (WAL recovery included)."""
    db = sqlite3.connect(stack.cache_db())
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [row[0] for row in db.execute(
            "SELECT id FROM sites WHERE profile = 'default' ORDER BY pos")]
    finally:
        db.close()


def sandbox_site_ids(stack):
    ids, url = [], "/v1/sites?limit=100"
    while url:
        status, _, page = stack.sandbox.get(url, stack.sandbox.api_key_header())
        assert status == 200
        ids += [s["id"] for s in page["results"]]
        url = page["next"]
    return ids


def test_kill_9_during_syncs_leaves_exactly_the_old_or_the_new_list(make_stack):
    # 20 ms a request: a walk of ~50 requests lasts a few hundred ms, so a kill timed by a poll
    # of the sandbox's counters lands inside it (with no latency a whole sync of 1,500 sites
    # that changed by one site takes less than one poll).
    stack = make_stack(sites=SITES, latency_ms=20)
    status, body = call(stack, "POST", "/v1/profiles/default/login",
                        {"method": "api_key", "api_key": stack.info["api_key"]})
    assert status == 200, body
    stack.wait_every_list_synced()
    stack.sandbox.reset_counters()
    status, body = call(stack, "POST", "/v1/profiles/default/sync")
    assert status == 200, body
    walk = stack.sandbox.counters()["requests"]  # what one full sync asks for
    assert walk >= 3, f"a whole sync asks for every list, not {walk} request(s)"
    assert sorted(cached_site_ids(stack)) == sorted(sandbox_site_ids(stack))

    account = stack.sandbox.get("/v1/accounts?limit=1",
                                stack.sandbox.api_key_header())[2]["results"][0]["id"]
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    for round_ in range(8):
        old = sorted(cached_site_ids(stack))
        # Change the account upstream, so this round's sync has a different list to write.
        status, _, created = stack.sandbox.request(
            "POST", "/v1/sites", {"name": f"Kill Test {round_}", "account_id": account},
            {"Authorization": stack.sandbox.api_key_header()})
        assert status == 201, created
        new = sorted(sandbox_site_ids(stack))
        assert old != new

        stack.sandbox.reset_counters()
        syncing = threading.Thread(
            target=call, args=(stack, "POST", "/v1/profiles/default/sync"), daemon=True)
        syncing.start()
        if round_ % 2 == 0:
            # Kill after a random number of the sync's requests: in the middle of the walk.
            after = rng.randint(1, walk)
            wait_for(lambda: stack.sandbox.counters()["requests"] >= after, timeout=30,
                     what=f"{after} request(s) of the sync")
        else:
            # Kill as soon as the new sites list is written, while the other lists are.
            wait_for(lambda: f"synced {len(new)} sites" in stack.daemon.log_text(), timeout=30,
                     what="the new sites list to be written")
        stack.daemon.kill()
        syncing.join(timeout=10)

        ids = sorted(cached_site_ids(stack))
        assert ids in (old, new), f"round {round_}: a torn list of {len(ids)} sites"
        outcomes["old" if ids == old else "new"] += 1

        stack.daemon.start()
        status, body = call(stack, "GET", "/v1/profiles/default/sites")
        assert status == 200 and sorted(s["id"] for s in body["results"]) == ids
    print(f"kills that left the old list / the new list: {outcomes}")
    assert outcomes["old"] and outcomes["new"], outcomes  # both sides of the write were hit
    assert stack.canary_hits() == []
