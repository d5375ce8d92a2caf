#!/usr/bin/python3
"""Sync of 10,000 sites (and their installs and accounts) through wped, against a sandbox that
adds 50 ms to every API request, compared with what a script does on its own: one request at a
time, following `next`, on one keep-alive HTTPS connection, measured in the same run. Two kinds
of sync are timed: the first one into an empty cache (after a logout, which drops the profile's
lists: every row is written) and a re-sync of lists the API sends back unchanged (the periodic
case: wped writes only the rows that changed, here none).
Targets (issue 10): wped ≥ 7.5× faster with at most 8 requests in flight at once (the sandbox's
max_in_flight counter), and wped's CPU time for one sync with the sandbox at 0 ms ≤ 0.3 s (user +
system from /proc/PID/stat). Each wped figure is the median of ROUNDS syncs."""

import http.client
import os
import json
import ssl
import time
import urllib.parse

import benchlib
from benchlib import BenchError

SITES = 10000
LATENCY_MS = 50
LISTS = ("sites", "installs", "accounts")
TARGET_SPEEDUP = 7.5
TARGET_IN_FLIGHT = 8
TARGET_CPU_S = 0.3
ROUNDS = 3


def cpu_seconds(pid):
    """utime + stime of the process (all its threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch_sequential(info, name):
    """GET /v1/{name}?limit=100 and every `next` page, one at a time. → (objects, requests)."""
    api = urllib.parse.urlsplit(info["api_url"])
    context = ssl.create_default_context(cafile=info["ca_file"])
    conn = http.client.HTTPSConnection(api.hostname, api.port, context=context, timeout=60)
    headers = {"Authorization": f"ApiKey {info['api_key']}", "Accept": "application/json"}
    url = f"{api.path.rstrip('/')}/{name}?limit=100"
    objects = requests = 0
    try:
        while url:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read()
            requests += 1
            if response.status != 200:
                raise BenchError(f"GET {url} → {response.status}: {body[:300]!r}")
            page = json.loads(body)
            objects += len(page["results"])
            nxt = page.get("next")
            if nxt:
                parts = urllib.parse.urlsplit(nxt)
                url = parts.path + (f"?{parts.query}" if parts.query else "")
            else:
                url = None
    finally:
        conn.close()
    return objects, requests


def daemon_sync(sandbox, daemon):
    """POST /v1/profiles/default/sync → (seconds, upstream requests, how). A 202 (a sync left
    running in the background) is timed up to the sandbox's last request. Without that endpoint
    (404/405) the three `wpectl X --refresh` commands are timed one after the other instead."""
    before = benchlib.upstream_requests(sandbox)
    start = time.perf_counter()
    status, _, body = daemon.request("POST", "/v1/profiles/default/sync", timeout=300)
    end = time.perf_counter()
    how = "POST …/sync"
    if status in (404, 405):
        start = time.perf_counter()
        for name in LISTS:
            benchlib.ctl(daemon, name, "--refresh", "--json")
        end = time.perf_counter()
        how = "wpectl sites/installs/accounts --refresh"
    elif status == 202:
        end = benchlib.wait_upstream_quiet(sandbox, quiet=1.0)
    elif not 200 <= status < 300:
        raise BenchError(f"POST /v1/profiles/default/sync → {status}: {body[:500]}")
    return end - start, benchlib.upstream_requests(sandbox) - before, how


def first_sync(sandbox, daemon, pid):
    """Logout (which drops the profile's cached lists), login again with the API key, and time
    the sync that login starts: from login's answer to the end of that sync (POST …/sync joins
    it, or starts it if the scheduler has not yet). → (seconds, upstream requests, wped's CPU
    seconds over the same span)."""
    benchlib.request(daemon, "POST", "/v1/profiles/default/logout")
    benchlib.wait_upstream_quiet(sandbox, quiet=0.5)
    body = json.dumps({"method": "api_key", "api_key": sandbox.info["api_key"]})
    status, _, text = daemon.request("POST", "/v1/profiles/default/login", body, timeout=60)
    if status != 200:
        raise BenchError(f"POST …/login → {status}: {text[:300]}")
    before = benchlib.upstream_requests(sandbox)
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    benchlib.request(daemon, "POST", "/v1/profiles/default/sync")
    end = time.perf_counter()
    return end - start, benchlib.upstream_requests(sandbox) - before, cpu_seconds(pid) - cpu


def run():
    with benchlib.Stack() as stack:
        sandbox = stack.sandbox(sites=SITES, latency_ms=LATENCY_MS)
        daemon = stack.daemon(sandbox)
        pid = benchlib.daemon_pid(daemon)
        benchlib.wait_upstream_quiet(sandbox)  # a sync that login may have started
        # Untimed: joins the login's sync if it is still writing (the upstream is quiet before
        # the last list is stored), so each timed round is a whole sync of its own.
        daemon_sync(sandbox, daemon)

        rounds = []
        for _ in range(ROUNDS):
            sandbox.reset_counters()
            seconds, sync_requests, how = daemon_sync(sandbox, daemon)
            rounds.append((seconds, int(sandbox.counters().get("max_in_flight", -1))))
        first = []
        for _ in range(ROUNDS):
            sandbox.reset_counters()
            seconds, requests, _ = first_sync(sandbox, daemon, pid)
            first.append((seconds, requests, int(sandbox.counters().get("max_in_flight", -1))))
        sync_s = benchlib.median([r[0] for r in rounds])
        first_s = benchlib.median([r[0] for r in first])
        in_flight = max([r[1] for r in rounds] + [r[2] for r in first])
        cached = {name: benchlib.json_count(benchlib.ctl(daemon, name, "--json").stdout)
                  for name in LISTS}
        cli_s, result = benchlib.timed(benchlib.ctl, daemon, "sites", "--refresh", "--json")
        cli_count = benchlib.json_count(result.stdout)

        sequential = {}
        for name in LISTS:
            seconds, (objects, requests) = benchlib.timed(fetch_sequential, sandbox.info, name)
            sequential[name] = (seconds, objects, requests)

        # CPU: the same sync with no latency, so the figure is wped's own work (parsing, SQLite).
        sandbox.control("POST", "/latency", {"ms": 0})
        cpu, first_cpu = [], []
        for _ in range(ROUNDS):
            benchlib.wait_upstream_quiet(sandbox, quiet=0.5)
            before = cpu_seconds(pid)
            daemon_sync(sandbox, daemon)
            cpu.append(cpu_seconds(pid) - before)
        for _ in range(ROUNDS):
            first_cpu.append(first_sync(sandbox, daemon, pid)[2])
        cpu_s = benchlib.median(cpu)
        first_cpu_s = benchlib.median(first_cpu)

    seq_s = sum(v[0] for v in sequential.values())
    seq_requests = sum(v[2] for v in sequential.values())
    speedup = seq_s / sync_s if sync_s > 0 else 0
    first_speedup = seq_s / first_s if first_s > 0 else 0
    sites_speedup = sequential["sites"][0] / cli_s if cli_s > 0 else 0
    if cached["sites"] not in (None, sequential["sites"][1]):
        raise BenchError(f"wped cached {cached['sites']} sites, the API has "
                         f"{sequential['sites'][1]}")
    benchlib.block(f"sync: {SITES} sites, sandbox latency {LATENCY_MS} ms a request", [
        (f"wped first sync into an empty cache (median of {ROUNDS})", benchlib.ms(first_s), "",
         None),
        ("  each", ", ".join(benchlib.ms(r[0]) for r in first), "", None),
        ("  upstream requests it made", ", ".join(str(r[1]) for r in first), "", None),
        (f"wped re-sync, lists unchanged upstream (median of {ROUNDS})", benchlib.ms(sync_s),
         "", None),
        ("  each", ", ".join(benchlib.ms(r[0]) for r in rounds), "", None),
        ("  measured as", how, "", None),
        ("  upstream requests it made", str(sync_requests), "", None),
        ("  cached afterwards (sites/installs/accounts)",
         "/".join(str(cached[n]) for n in LISTS), "", None),
        ("wpectl sites --refresh --json (whole process)",
         benchlib.ms(cli_s) + f" ({cli_count} sites)", "", None),
        ("sequential script, sites+installs+accounts", benchlib.ms(seq_s), "", None),
        ("  requests / objects (sites, installs, accounts)",
         ", ".join(f"{v[2]}/{v[1]}" for v in sequential.values()), "", None),
        ("  sites alone", benchlib.ms(sequential["sites"][0]), "", None),
        ("speed-up, first sync (sequential ÷ wped, same run)", f"{first_speedup:.2f}×",
         f"≥ {TARGET_SPEEDUP}×", first_speedup >= TARGET_SPEEDUP),
        ("speed-up, re-sync (sequential ÷ wped, same run)", f"{speedup:.2f}×",
         f"≥ {TARGET_SPEEDUP}×", speedup >= TARGET_SPEEDUP),
        ("most upstream requests in flight (sandbox)", str(in_flight), f"≤ {TARGET_IN_FLIGHT}",
         0 < in_flight <= TARGET_IN_FLIGHT),
        (f"wped CPU for a first sync, sandbox at 0 ms (median of {ROUNDS})",
         f"{first_cpu_s:.3f} s", f"≤ {TARGET_CPU_S} s", first_cpu_s <= TARGET_CPU_S),
        ("  each", ", ".join(f"{c:.3f} s" for c in first_cpu), "", None),
        (f"wped CPU for a re-sync, sandbox at 0 ms (median of {ROUNDS})", f"{cpu_s:.3f} s",
         f"≤ {TARGET_CPU_S} s", cpu_s <= TARGET_CPU_S),
        ("  each", ", ".join(f"{c:.3f} s" for c in cpu), "", None),
        ("speed-up, sites (sequential ÷ wpectl --refresh)", f"{sites_speedup:.1f}×", "", None),
        ("sequential requests in all", str(seq_requests), "", None),
    ])


if __name__ == "__main__":
    benchlib.main("bench_sync", run)
