#!/usr/bin/python3
"""Idle wped (logged in with the keyring, 10,000 sites synced, no client): wake-ups, context
switches and CPU over a window (WPED_BENCH_IDLE_SECONDS, default 60), per thread from
/proc/PID/task/*/{status,schedstat,stat}. A wake-up is a timeslice run (schedstat's third
field). Target (issue 10): ≤ 5 wake-ups per minute besides the systemd watchdog's (no watchdog
runs here: the bench starts wped without WATCHDOG_USEC), and no periodic keyring traffic (the
threads that talk to D-Bus are printed: libsecret runs on the "gmain"/"gdbus" threads)."""

import os
import time

import benchlib

SITES = 10000
WINDOW = float(os.environ.get("WPED_BENCH_IDLE_SECONDS", "60"))
TARGET_WAKEUPS_PER_MIN = 5
TICK = os.sysconf("SC_CLK_TCK")


def threads(pid):
    """{tid: (name, timeslices, voluntary + involuntary switches, cpu seconds)}."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        base = f"/proc/{pid}/task/{tid}"
        try:
            with open(f"{base}/comm") as f:
                name = f.read().strip()
            with open(f"{base}/schedstat") as f:
                slices = int(f.read().split()[2])
            switches = 0
            with open(f"{base}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt")):
                        switches += int(line.split()[1])
            with open(f"{base}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            continue  # the thread ended meanwhile
        out[tid] = (name, slices, switches, cpu)
    return out


def run():
    with benchlib.Stack() as stack:
        keyring = stack.keyring()
        sandbox = stack.sandbox(sites=SITES)
        daemon = stack.daemon(sandbox, keyring)
        benchlib.wait_upstream_quiet(sandbox)
        benchlib.request(daemon, "POST", "/v1/profiles/default/sync")
        benchlib.wait_upstream_quiet(sandbox)
        time.sleep(2)  # the last answer's connection thread settles
        pid = benchlib.daemon_pid(daemon)
        before = threads(pid)
        time.sleep(WINDOW)
        after = threads(pid)
        requests = benchlib.upstream_requests(sandbox)

    per_min = 60.0 / WINDOW
    wake = switches = cpu = 0.0
    busy = []
    for tid, (name, slices, sw, c) in after.items():
        b = before.get(tid, (name, 0, 0, 0.0))
        d_wake, d_sw, d_cpu = slices - b[1], sw - b[2], c - b[3]
        wake += d_wake
        switches += d_sw
        cpu += d_cpu
        if d_wake:
            busy.append((d_wake, f"{name}[{tid}]"))
    busy.sort(reverse=True)
    rows = [
        ("wake-ups per minute", f"{wake * per_min:.0f}", f"≤ {TARGET_WAKEUPS_PER_MIN}",
         wake * per_min <= TARGET_WAKEUPS_PER_MIN),
        ("context switches per minute", f"{switches * per_min:.0f}", "", None),
        ("CPU per minute", f"{cpu * per_min * 1000:.0f} ms", "", None),
        ("threads", f"{len(after)}", "", None),
        ("threads that woke (per minute)",
         ", ".join(f"{n} {w * per_min:.0f}" for w, n in busy[:8]) or "none", "", None),
    ]
    benchlib.block(f"idle: wped logged in (keyring), {SITES} sites synced, {WINDOW:.0f} s window",
                   rows)


if __name__ == "__main__":
    benchlib.main("bench_idle", run)
