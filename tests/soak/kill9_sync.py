#!/usr/bin/python3
"""Soak: kill -9 wped at random points of many syncs and check the cache after each kill
(issue 8, "Hardened"). Not run by ctest.

Each round changes the sandbox's sites (a site created, every third round one deleted), starts
a sync, waits a random time (0 .. one sync's duration, with sandbox latency so the walk takes a
while), kills wped with SIGKILL, then reads cache.db with SQLite itself: it must pass the
integrity check and hold exactly the complete old or the complete new site list (same count,
same ids, in order) — never a torn mix. wped is restarted and must serve that list at once.

    cd build && WPED_BIN=$PWD/daemon/wped WPECTL_BIN=$PWD/ctl/wpectl \
      WPE_SANDBOX_BIN=$PWD/tests/sandbox/wpe-sandbox \
      /usr/bin/python3 ../tests/soak/kill9_sync.py --rounds 200 [--sites 1500] [--latency-ms 15]

Prints one line per 10 rounds and a summary; exits 1 on the first torn list.
"""

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from conftest import Stack  # noqa: E402  (the integration tests' stack: sandbox, keyring, wped)
from harness import wait_for  # noqa: E402


def call(stack, method, path, timeout=120.0):
    try:
        status, _, text = stack.daemon.request(method, path, None, timeout=timeout)
    except OSError:  # killed under this request
        return None, None
    return status, (json.loads(text) if text else None)


def sandbox_ids(stack):
    ids, url = [], "/v1/sites?limit=100"
    while url:
        status, _, page = stack.sandbox.get(url, stack.sandbox.api_key_header())
        assert status == 200, page
        ids += [s["id"] for s in page["results"]]
        url = page["next"]
    return ids


def cached_ids(stack):
    db = sqlite3.connect(stack.cache_db(), timeout=10)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise AssertionError(f"integrity_check: {check}")
        return [row[0] for row in db.execute(
            "SELECT id FROM sites WHERE profile = 'default' ORDER BY pos")]
    finally:
        db.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sites", type=int, default=1500)
    parser.add_argument("--latency-ms", type=int, default=15)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    root = tempfile.mkdtemp(prefix="wped-soak-", dir="/tmp")
    stack = Stack(root, sites=args.sites, latency_ms=args.latency_ms)
    outcomes = {"old": 0, "new": 0}
    delays = []
    started = time.monotonic()
    try:
        stack.login_api_key()
        wait_for(lambda: call(stack, "GET", "/v1/profiles/default/sites")[0] == 200,
                 timeout=120, what="the first sync")
        t0 = time.monotonic()
        status, body = call(stack, "POST", "/v1/profiles/default/sync")
        assert status == 200, body
        sync_seconds = time.monotonic() - t0
        account = stack.sandbox.get("/v1/accounts?limit=1",
                                    stack.sandbox.api_key_header())[2]["results"][0]["id"]
        print(f"seed {seed}; one sync of {args.sites} sites takes {sync_seconds:.2f} s",
              flush=True)
        for round_ in range(args.rounds):
            old = cached_ids(stack)
            headers = {"Authorization": stack.sandbox.api_key_header()}
            status, _, created = stack.sandbox.request(
                "POST", "/v1/sites", {"name": f"Soak {round_}", "account_id": account}, headers)
            assert status == 201, created
            if round_ % 3 == 2:
                victim = rng.choice(old)
                stack.sandbox.request("DELETE", f"/v1/sites/{victim}", None, headers)
            new = sandbox_ids(stack)

            syncing = threading.Thread(target=call,
                                       args=(stack, "POST", "/v1/profiles/default/sync"),
                                       daemon=True)
            syncing.start()
            delay = rng.uniform(0, sync_seconds * 1.2)
            delays.append(delay)
            time.sleep(delay)
            stack.daemon.kill()
            syncing.join(timeout=30)

            ids = cached_ids(stack)
            if ids not in (old, new):
                print(f"round {round_}: TORN list of {len(ids)} sites "
                      f"(old {len(old)}, new {len(new)}), delay {delay:.3f} s; cache kept in "
                      f"{root}", flush=True)
                stack = None
                return 1
            outcomes["new" if ids == new else "old"] += 1

            stack.daemon.start(timeout=30)
            status, body = call(stack, "GET", "/v1/profiles/default/sites")
            served = [s["id"] for s in body["results"]] if status == 200 else None
            if served != ids:
                print(f"round {round_}: the restarted wped served {status} "
                      f"{len(served or [])} sites, the file holds {len(ids)}", flush=True)
                stack = None
                return 1
            if (round_ + 1) % 10 == 0:
                print(f"{round_ + 1} rounds: {outcomes}", flush=True)
        elapsed = time.monotonic() - started
        print(f"SUMMARY: {args.rounds} kill -9 rounds in {elapsed:.0f} s, every cache intact: "
              f"old list {outcomes['old']}, new list {outcomes['new']}, torn 0; "
              f"delays {min(delays):.3f}..{max(delays):.3f} s (seed {seed})", flush=True)
        return 0
    finally:
        if stack is not None:
            stack.close()
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
