#!/usr/bin/python3
"""What a user of wpectl feels, with 10,000 sites cached (issue 10): `wpectl sites --json` as a
whole process (target ≤ 11 ms median), `wpectl token --header` as a whole process (target
≤ 1.2 ms, and ≤ 0.12 of a `secret-tool lookup` of a secret in the same keyring), both beside a
raw socket round trip (wped-bench-raw-get: one GET, libc only) in the same run, and the
daemon's memory (VmRSS, VmHWM).

Processes are started with posix_spawn and timed to their exit, stdout to /dev/null, so the
figure is the process's own cost rather than Python's pipe handling. WPECTL_BEFORE=PATH also
times another wpectl binary (e.g. one built from an older commit) in the same run."""

import os
import secrets
import shutil
import subprocess
import time

import benchlib
from benchlib import BenchError

SITES = 10000
RUNS = 30
TOKEN_RUNS = 100  # ~1 ms each: more runs for a steady median
TARGET_SITES_MS = 11.0
TARGET_TOKEN_MS = 1.2
TARGET_TOKEN_RATIO = 0.12
RAW_GET = os.environ.get("WPED_BENCH_RAW_GET_BIN",
                         os.path.join(benchlib.BUILD, "tests", "bench", "wped-bench-raw-get"))


def spawn_seconds(argv, env):
    """Seconds from posix_spawn to the exit of ARGV (stdout and stderr to /dev/null);
    BenchError unless it exits 0."""
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise BenchError(f"{' '.join(argv[:3])} exited {os.waitstatus_to_exitcode(status)}")
    return elapsed


def spawn_runs(count, argv, env):
    spawn_seconds(argv, env)  # warm-up: page cache, the daemon's first answer
    return [spawn_seconds(argv, env) for _ in range(count)]


def secret_tool(keyring, *args, input=None):
    result = subprocess.run(["secret-tool", *args], input=input, env=keyring.full_env(),
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise BenchError(f"secret-tool {args[0]} exited {result.returncode}: "
                         f"{result.stderr.strip()[:300]}")
    return result


def run():
    if shutil.which("secret-tool") is None:
        raise BenchError("secret-tool is not installed (Debian: libsecret-tools)")
    with benchlib.Stack() as stack:
        keyring = stack.keyring()
        sandbox = stack.sandbox(sites=SITES)
        daemon = stack.daemon(sandbox, keyring)
        benchlib.wait_upstream_quiet(sandbox)
        benchlib.ctl(daemon, "sites", "--refresh", "--json")
        benchlib.wait_upstream_quiet(sandbox)
        count = benchlib.json_count(benchlib.ctl(daemon, "sites", "--json").stdout)
        if count != SITES:
            raise BenchError(f"wpectl sites --json lists {count} sites, expected {SITES}")

        ctl_env = daemon.env(WPED_SOCKET=daemon.socket_path)
        binaries = [("wpectl", benchlib.harness.WPECTL)]
        if os.environ.get("WPECTL_BEFORE"):
            binaries.append(("wpectl (before)", os.environ["WPECTL_BEFORE"]))
        sites, token = {}, {}
        for label, binary in binaries:
            sites[label] = spawn_runs(RUNS, [binary, "sites", "--json"], ctl_env)
            token[label] = spawn_runs(TOKEN_RUNS, [binary, "token", "--header"], ctl_env)
        raw_sites = spawn_runs(RUNS, [RAW_GET, daemon.socket_path,
                                      "/v1/profiles/default/sites"], ctl_env)
        raw_token = spawn_runs(TOKEN_RUNS, [RAW_GET, daemon.socket_path,
                                            "/v1/profiles/default/token"], ctl_env)

        # The same keyring the daemon uses; the value is a throwaway, fed on stdin.
        secret_tool(keyring, "store", "--label", "x", "service", "bench", "account", "bench",
                    input=secrets.token_urlsafe(32))
        lookup = spawn_runs(RUNS, [shutil.which("secret-tool"), "lookup", "service", "bench",
                                   "account", "bench"], keyring.full_env())
        memory = benchlib.proc_status(benchlib.daemon_pid(daemon))

    ms = benchlib.median
    lookup_ms = ms(lookup) * 1000
    rows = []
    for label, _ in binaries:
        sites_ms = ms(sites[label]) * 1000
        token_ms = ms(token[label]) * 1000
        ratio = token_ms / lookup_ms
        rows += [
            (f"{label} sites --json, median", f"{sites_ms:.2f} ms", f"≤ {TARGET_SITES_MS:.0f} ms",
             sites_ms <= TARGET_SITES_MS),
            (f"{label} sites --json, p90", benchlib.ms(benchlib.percentile(sites[label], 0.9)),
             "", None),
            (f"{label} token --header, median", f"{token_ms:.2f} ms", f"≤ {TARGET_TOKEN_MS} ms",
             token_ms <= TARGET_TOKEN_MS),
            (f"{label} token ÷ secret-tool lookup", f"{ratio:.3f}", f"≤ {TARGET_TOKEN_RATIO}",
             ratio <= TARGET_TOKEN_RATIO),
            (f"{label} token ÷ raw socket round trip", f"{token_ms / (ms(raw_token) * 1000):.2f}",
             "", None),
        ]
    rows += [
        ("raw socket round trip (token), median", benchlib.ms(ms(raw_token)), "", None),
        ("raw socket round trip (sites), median", benchlib.ms(ms(raw_sites)), "", None),
        ("secret-tool lookup, median", f"{lookup_ms:.2f} ms", "", None),
        ("wped VmRSS", f"{memory.get('VmRSS', 0) / 1024:.1f} MiB", "", None),
        ("wped VmHWM (peak RSS)", f"{memory.get('VmHWM', 0) / 1024:.1f} MiB", "", None),
    ]
    benchlib.block(f"cli: {SITES} sites cached, whole processes (posix_spawn to exit), "
                   f"{RUNS}/{TOKEN_RUNS} runs", rows)


if __name__ == "__main__":
    benchlib.main("bench_cli", run)
