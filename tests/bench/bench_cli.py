#!/usr/bin/python3
"""What a user of wpectl feels, with 10,000 sites cached: `wpectl sites --json` as a whole
process (target ≤ 50 ms median), `wpectl token --header` against a `secret-tool lookup` of a
secret in the same keyring (target ≤ 0.5 of it), and the daemon's memory (VmRSS, VmHWM)."""

import secrets
import shutil
import subprocess

import benchlib
from benchlib import BenchError

SITES = 10000
RUNS = 30
TARGET_SITES_MS = 50.0
TARGET_TOKEN_RATIO = 0.5


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

        sites = benchlib.repeat(RUNS, benchlib.ctl, daemon, "sites", "--json")
        token = benchlib.repeat(RUNS, benchlib.ctl, daemon, "token", "--header")

        # The same keyring the daemon uses; the value is a throwaway, fed on stdin.
        secret_tool(keyring, "store", "--label", "x", "service", "bench", "account", "bench",
                    input=secrets.token_urlsafe(32))
        lookup = benchlib.repeat(RUNS, secret_tool, keyring, "lookup", "service", "bench",
                                 "account", "bench")
        memory = benchlib.proc_status(benchlib.daemon_pid(daemon))

    sites_median = benchlib.median(sites) * 1000
    ratio = benchlib.median(token) / benchlib.median(lookup)
    benchlib.block(f"cli: {SITES} sites cached, {RUNS} runs each (whole processes)", [
        ("wpectl sites --json, median", f"{sites_median:.2f} ms", f"≤ {TARGET_SITES_MS:.0f} ms",
         sites_median <= TARGET_SITES_MS),
        ("wpectl sites --json, p90", benchlib.ms(benchlib.percentile(sites, 0.9)), "", None),
        ("wpectl token --header, median", benchlib.ms(benchlib.median(token)), "", None),
        ("secret-tool lookup, median", benchlib.ms(benchlib.median(lookup)), "", None),
        ("token ÷ secret-tool", f"{ratio:.2f}", f"≤ {TARGET_TOKEN_RATIO}",
         ratio <= TARGET_TOKEN_RATIO),
        ("wped VmRSS", f"{memory.get('VmRSS', 0) / 1024:.1f} MiB", "", None),
        ("wped VmHWM (peak RSS)", f"{memory.get('VmHWM', 0) / 1024:.1f} MiB", "", None),
    ])


if __name__ == "__main__":
    benchlib.main("bench_cli", run)
