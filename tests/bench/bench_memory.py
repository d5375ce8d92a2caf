#!/usr/bin/python3
"""wped's memory along a scripted workload with 10,000 sites (+ 20,000 installs) cached: VmRSS
and RssAnon (private memory) at each stage — idle, after login + first sync, after 20
`wpectl sites --json`, after 10 more syncs and 40 list reads, after N sync + read rounds
(WPED_BENCH_ROUNDS, default 100). Targets (issue 10): RSS ≤ 30 MiB at every stage, anon
≤ 10 MiB, growth over the rounds ≤ 1 MiB. The sandbox answers at once (latency 0): the
figures are about what wped keeps, not how long the syncs take."""

import os

import benchlib

SITES = 10000
ROUNDS = int(os.environ.get("WPED_BENCH_ROUNDS", "100"))
TARGET_RSS_MIB = 30.0
TARGET_ANON_MIB = 10.0
TARGET_GROWTH_MIB = 1.0
LISTS = ("sites", "installs")


def memory(daemon):
    figures = benchlib.proc_status(benchlib.daemon_pid(daemon),
                                   ("VmRSS", "RssAnon", "RssFile", "VmHWM", "Threads"))
    return {k: v / 1024 if k != "Threads" else v for k, v in figures.items()}


def sync(daemon):
    benchlib.request(daemon, "POST", "/v1/profiles/default/sync")


def read(daemon, i):
    benchlib.request(daemon, "GET", f"/v1/profiles/default/{LISTS[i % len(LISTS)]}")


def run():
    stages = []
    with benchlib.Stack() as stack:
        sandbox = stack.sandbox(sites=SITES, latency_ms=0)
        daemon = stack.daemon(sandbox, login=False)
        stages.append(("idle (started, not logged in)", memory(daemon)))
        benchlib.ctl(daemon, "login", "--api-key", input=sandbox.info["api_key"])
        sync(daemon)
        benchlib.wait_upstream_quiet(sandbox)
        stages.append(("after login + sync", memory(daemon)))
        for _ in range(20):
            benchlib.ctl(daemon, "sites", "--json")
        stages.append(("after 20 `wpectl sites --json`", memory(daemon)))
        for i in range(10):
            sync(daemon)
            for j in range(4):
                read(daemon, j)
        stages.append(("after 10 more syncs and 40 list reads", memory(daemon)))
        for i in range(ROUNDS):
            sync(daemon)
            read(daemon, i)
        stages.append((f"after {ROUNDS} sync + read rounds", memory(daemon)))

    rows = []
    for label, m in stages:
        rss, anon = m.get("VmRSS", 0), m.get("RssAnon", 0)
        rows.append((f"{label}: RSS", f"{rss:.1f} MiB", f"≤ {TARGET_RSS_MIB:.0f} MiB",
                     rss <= TARGET_RSS_MIB))
        rows.append((f"{label}: anon", f"{anon:.1f} MiB", f"≤ {TARGET_ANON_MIB:.0f} MiB",
                     anon <= TARGET_ANON_MIB))
    growth = stages[-1][1]["VmRSS"] - stages[-2][1]["VmRSS"]
    rows.append((f"RSS growth over the {ROUNDS} rounds", f"{growth:+.1f} MiB",
                 f"≤ {TARGET_GROWTH_MIB:.0f} MiB", growth <= TARGET_GROWTH_MIB))
    last = stages[-1][1]
    rows.append(("peak RSS (VmHWM)", f"{last.get('VmHWM', 0):.1f} MiB", "", None))
    rows.append(("file-backed RSS at the end", f"{last.get('RssFile', 0):.1f} MiB", "", None))
    rows.append(("threads at the end", f"{last.get('Threads', 0)}", "", None))
    benchlib.block(f"memory: wped with {SITES} sites cached, sandbox latency 0", rows)


if __name__ == "__main__":
    benchlib.main("bench_memory", run)
