#!/usr/bin/python3
"""Request rate of the local API's hottest call, GET /v1/profiles/default/token, with 1, 8 and
32 keep-alive clients (wped-bench-http), beside a raw Unix-socket exchange of the same sizes on
this machine (a server in the load generator's own process). Targets at 8 clients: ≥ 10,000
requests/s, p99 ≤ 0.5 ms, ≥ 0.5 of the raw socket's rate (issue 10), the last as the median
of three pairs of runs. For reference, 8 clients
also ask a minimal HTTP server that runs in a process of its own, as wped does
(`wped-bench-http --serve-stub`: a fixed answer, no parsing, no work)."""

import json
import os
import statistics
import subprocess

import benchlib
from benchlib import BenchError

CLIENTS = (1, 8, 32)
TARGET_RPS = 10000
TARGET_P99_MS = 0.5  # issue 10 (was 2 ms)
TARGET_RATIO = 0.5
EXTRA_RATIO_RUNS = 2  # 8-client pairs after the first: the ratio's target is their median


def bench_http(socket_path, clients=CLIENTS):
    if not os.access(benchlib.BENCH_HTTP, os.X_OK):
        raise BenchError(f"{benchlib.BENCH_HTTP} is not built "
                         "(cmake --build BUILD --target wped-bench-http)")
    seconds = benchlib.SECONDS
    args = [benchlib.BENCH_HTTP, "--socket", socket_path, "--path", "/v1/profiles/default/token",
            "--clients", ",".join(map(str, clients)), "--seconds", str(seconds),
            "--warmup", "1", "--baseline", "--json"]
    # Bounded: 2 runs per client count of warm-up + window, plus connection time.
    timeout = len(clients) * 2 * (seconds + 1) + 60
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise BenchError(f"wped-bench-http exited {result.returncode}: {result.stderr.strip()}")
    return json.loads(result.stdout)


def bench_stub_process(clients):
    """The same load on `wped-bench-http --serve-stub` (another process). → its run's figures."""
    server = subprocess.Popen([benchlib.BENCH_HTTP, "--serve-stub"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        path = server.stdout.readline().strip()
        if not path:
            raise BenchError("wped-bench-http --serve-stub printed no socket path")
        args = [benchlib.BENCH_HTTP, "--socket", path, "--path", "/v1/profiles/default/token",
                "--clients", str(clients), "--seconds", str(benchlib.SECONDS), "--warmup", "1",
                "--json"]
        result = subprocess.run(args, capture_output=True, text=True,
                                timeout=2 * (benchlib.SECONDS + 1) + 60)
        if result.returncode != 0:
            raise BenchError(f"wped-bench-http on the stub exited {result.returncode}: "
                             f"{result.stderr.strip()}")
        return json.loads(result.stdout)["runs"][0]["http"]
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def run():
    with benchlib.Stack() as stack:
        keyring = stack.keyring()
        sandbox = stack.sandbox(sites=25)
        daemon = stack.daemon(sandbox, keyring)
        benchlib.request(daemon, "GET", "/v1/profiles/default/token")  # a clear error first
        report = bench_http(daemon.socket_path)
        # The 8-client ratio twice more, each a pair of full runs as above. One pair swings by
        # ±0.1 from run to run here (which CPU each client and its server thread land on), so
        # the target is judged on the median of three.
        ratios8 = [next(r["ratio"] for r in report["runs"] if r["clients"] == 8)]
        for _ in range(EXTRA_RATIO_RUNS):
            ratios8.append(bench_http(daemon.socket_path, clients=(8,))["runs"][0]["ratio"])
    stub = bench_stub_process(8)

    rows = [("request / response", f"{report['request_bytes']} B / {report['response_bytes']} B",
             "", None)]
    for run_ in report["runs"]:
        http, raw, n = run_["http"], run_["raw"], run_["clients"]
        label = f"{n} client{'s' if n > 1 else ''}"
        p99_ms = http["p99_us"] / 1000
        met = (http["requests_per_s"] >= TARGET_RPS and p99_ms <= TARGET_P99_MS) if n == 8 else None
        target = f"≥ {TARGET_RPS} req/s, p99 ≤ {TARGET_P99_MS} ms" if n == 8 else ""
        rows.append((f"{label}: wped", f"{http['requests_per_s']:.0f} req/s, p50 "
                     f"{http['p50_us'] / 1000:.3f} ms, p90 {http['p90_us'] / 1000:.3f} ms, "
                     f"p99 {p99_ms:.3f} ms, max {http['max_us'] / 1000:.2f} ms", target, met))
        rows.append((f"{label}: raw socket", f"{raw['requests_per_s']:.0f} req/s, p50 "
                     f"{raw['p50_us'] / 1000:.3f} ms, p99 {raw['p99_us'] / 1000:.3f} ms", "", None))
        if n == 8:
            # Issue 10: at 8 keep-alive clients, at least half a raw socket's rate.
            median = statistics.median(ratios8)
            runs = ", ".join(f"{r:.2f}" for r in ratios8)
            rows.append((f"{label}: wped ÷ raw", f"{median:.2f} (median of {len(ratios8)} "
                         f"runs: {runs})", f"≥ {TARGET_RATIO}", median >= TARGET_RATIO))
        else:
            rows.append((f"{label}: wped ÷ raw", f"{run_['ratio']:.2f}", "", None))
    wped8 = next(r["http"] for r in report["runs"] if r["clients"] == 8)
    rows.append(("8 clients: minimal HTTP server, own process",
                 f"{stub['requests_per_s']:.0f} req/s, p50 {stub['p50_us'] / 1000:.3f} ms, "
                 f"p99 {stub['p99_us'] / 1000:.3f} ms", "", None))
    rows.append(("8 clients: wped ÷ that server", f"{wped8['requests_per_s'] / stub['requests_per_s']:.2f}",
                 "", None))
    benchlib.block(f"token: GET /v1/profiles/default/token, {report['seconds']:.0f} s per run "
                   "(wped-bench-http --baseline)", rows)


if __name__ == "__main__":
    benchlib.main("bench_token", run)
