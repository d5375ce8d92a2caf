"""Glue shared by the Python benchmarks (stdlib only): starting the real wpe-sandbox, gnome-keyring
and wped through the integration harness, timing things, and printing labelled figures.

Everything that depends on the harness's API lives in the "harness adapter" section below, so
that a change there is fixed in one place. Benchmarks print figures beside their targets; a
missed target is printed as MISSED but never fails the run. Only a benchmark that cannot run
(a process that does not start, a command that fails) raises BenchError → exit 1.

Environment: WPED_BUILD_DIR (run.sh sets it from its argument), WPED_BIN / WPECTL_BIN /
WPE_SANDBOX_BIN / WPED_BENCH_HTTP_BIN override single binaries (the harness reads the first three),
WPED_BENCH_SECONDS shortens or lengthens timed windows.
"""

import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import harness  # noqa: E402  (tests/integration/harness: binary paths, wait_for)

BUILD = harness.BUILD
BENCH_HTTP = os.environ.get("WPED_BENCH_HTTP_BIN",
                            os.path.join(BUILD, "tests", "bench", "wped-bench-http"))
SECONDS = float(os.environ.get("WPED_BENCH_SECONDS", "5"))


class BenchError(Exception):
    """The benchmark could not run (not: a figure missed its target)."""


# -- harness adapter ---------------------------------------------------------------------------
# Written against tests/integration/harness/{sandbox,daemon,keyring}.py:
#   Sandbox().start(state_dir, sites=N, latency_ms=M) → self; .info (sandbox.json); .counters();
#   .stop()
#   Daemon(config=dict_of_sections, env=extra_env) ; .start(); .ctl(*args, input=) →
#   CompletedProcess; .request(method, path) → (status, headers, body); .socket_path; .proc.pid;
#   .stop(); .cleanup(); .log_text()
#   Keyring().start(home, "unlocked"); .address; .full_env(); .stop()


def _import_harness():
    try:
        from harness.daemon import Daemon
        from harness.keyring import Keyring
        from harness.sandbox import Sandbox
    except ImportError as e:
        raise BenchError(f"integration harness incomplete ({e}); these benchmarks need "
                         "tests/integration/harness/{sandbox,daemon,keyring}.py")
    return Sandbox, Daemon, Keyring


def daemon_config(sandbox, credential_store):
    """wped.ini as the harness's dict of sections: one api_key profile on the sandbox."""
    info = sandbox.info
    return {
        "daemon": {
            "credential_store": credential_store,
            "sync_interval": 86400,  # no background sync in the middle of a measurement
            "log_level": "warning",
        },
        "profile.default": {
            "auth": "api_key",
            "api_url": info["api_url"],
            "ca_file": info["ca_file"],
        },
    }


def daemon_pid(daemon):
    pid = getattr(daemon, "pid", None)
    return pid if pid is not None else daemon.proc.pid


def daemon_log(daemon):
    with contextlib.suppress(Exception):
        return daemon.log_text()[-2000:]
    return ""


class Stack(contextlib.ExitStack):
    """The processes one benchmark needs, stopped in reverse order on exit.

        with Stack() as stack:
            sandbox = stack.sandbox(sites=10000, latency_ms=50)
            keyring = stack.keyring()                      # optional
            daemon = stack.daemon(sandbox, keyring)        # started and logged in
    """

    def __enter__(self):
        super().__enter__()
        self.Sandbox, self.Daemon, self.Keyring = _import_harness()
        self.tmp = tempfile.mkdtemp(prefix="wped-bench-", dir="/tmp")
        self.callback(shutil.rmtree, self.tmp, True)
        return self

    def sandbox(self, sites, latency_ms=None):
        sandbox = self.Sandbox()
        self.callback(sandbox.stop)
        sandbox.start(os.path.join(self.tmp, "sandbox"), sites=sites, latency_ms=latency_ms,
                      timeout=120)
        return sandbox

    def keyring(self):
        keyring = self.Keyring()
        self.callback(keyring.stop)
        keyring.start(os.path.join(self.tmp, "keyring-home"), "unlocked")
        return keyring

    def daemon(self, sandbox, keyring=None, login=True):
        """wped with the keyring (when given) or the in-memory store, logged in with the
        sandbox's API key (on stdin, never argv)."""
        # Only the bus address: the daemon keeps its own HOME and XDG_RUNTIME_DIR (its socket).
        env = {"DBUS_SESSION_BUS_ADDRESS": keyring.address} if keyring else {}
        config = daemon_config(sandbox, "keyring" if keyring else "memory")
        daemon = self.Daemon(config=config, env=env)
        self.callback(getattr(daemon, "cleanup", None) or daemon.stop)
        try:
            daemon.start(timeout=30)
        except AssertionError as e:
            raise BenchError(f"wped did not start: {e}")
        if login:
            ctl(daemon, "login", "--api-key", input=sandbox.info["api_key"])
        return daemon


def ctl(daemon, *args, input=None, timeout=300):
    """wpectl ARGS against the daemon; BenchError (with its stderr, never stdout: it may hold a
    token) unless it exits 0."""
    result = daemon.ctl(*args, input=input, timeout=timeout)
    if result.returncode != 0:
        raise BenchError(f"wpectl {args[0]} exited {result.returncode}: "
                         f"{result.stderr.strip()[:500]}\n--- wped log ---\n{daemon_log(daemon)}")
    return result


def request(daemon, method, path, timeout=300):
    """One local-API request; BenchError unless 2xx. Returns (status, body text)."""
    status, _, body = daemon.request(method, path, timeout=timeout)
    if not 200 <= status < 300:
        raise BenchError(f"{method} {path} → {status}: {body[:500]}")
    return status, body


def upstream_requests(sandbox):
    """The sandbox's request counter (requests under /_sandbox/ are not counted)."""
    counters = sandbox.counters() or {}
    return int(counters.get("requests", 0))


def wait_upstream_quiet(sandbox, quiet=1.0, timeout=300):
    """Waits until the sandbox has seen no request for `quiet` seconds (e.g. a sync that login
    started has finished), so that a measurement does not overlap it. Returns the
    time.perf_counter() at which the request count last changed (within the 0.1 s poll)."""
    last = [upstream_requests(sandbox), time.perf_counter()]

    def quiet_now():
        now = upstream_requests(sandbox)
        if now != last[0]:
            last[0], last[1] = now, time.perf_counter()
            return False
        return time.perf_counter() - last[1] >= quiet

    harness.wait_for(quiet_now, timeout=timeout, what="the sandbox to see no requests",
                     interval=0.1)
    return last[1]


# -- measuring --------------------------------------------------------------------------------

def timed(fn, *args, **kwargs):
    """(seconds, result) of fn(*args, **kwargs), on a monotonic clock."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def repeat(count, fn, *args, **kwargs):
    """Seconds of `count` calls of fn (after one untimed warm-up call)."""
    fn(*args, **kwargs)
    return [timed(fn, *args, **kwargs)[0] for _ in range(count)]


def median(values):
    return statistics.median(values)


def percentile(values, fraction):
    """Nearest rank, like wped-bench-http."""
    ordered = sorted(values)
    rank = math.ceil(fraction * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def proc_status(pid, keys=("VmRSS", "VmHWM")):
    """{key: kB} from /proc/PID/status."""
    figures = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in keys:
                figures[name] = int(value.split()[0])
    return figures


def json_count(text):
    """Number of objects in a `wpectl … --json` answer: a list, or an object with results."""
    doc = json.loads(text)
    if isinstance(doc, list):
        return len(doc)
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        return len(doc["results"])
    return None


# -- printing ---------------------------------------------------------------------------------

def machine():
    model = "unknown"
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    return f"{os.cpu_count()} CPUs, {model}"


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def verdict(met):
    return "" if met is None else ("met" if met else "MISSED")


def block(title, rows):
    """Prints a labelled block. rows: (label, figure, target or "", met: True/False/None)."""
    print(f"\n== {title}")
    print(f"   machine: {machine()}")
    width = max(len(r[0]) for r in rows)
    fig = max(len(r[1]) for r in rows)
    align = ">" if fig <= 16 else "<"  # short figures line up on the right, long ones read left
    for label, figure, target, met in rows:
        line = f"   {label:<{width}}  {figure:{align}{fig}}"
        if target:
            line += f"   target {target}  {verdict(met)}"
        print(line.rstrip())
    sys.stdout.flush()


def main(name, fn):
    """Runs fn() and exits: 0 when it ran (whatever the figures), 1 when it could not run."""
    print(f"-- {name}: running (build {BUILD})", flush=True)
    try:
        fn()
    except BenchError as e:
        print(f"{name}: FAILED to run: {e}", file=sys.stderr)
        sys.exit(1)
    except Exception:  # the harness raises AssertionError/RuntimeError/OSError: report all
        print(f"{name}: FAILED to run:\n{traceback.format_exc()}", file=sys.stderr)
        sys.exit(1)
    sys.exit(0)
