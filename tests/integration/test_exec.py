"""`wpectl exec`: a command run with the profile's credential in its environment, against the
real wped, keyring and sandbox. Children report hashes of what they see, never the values,
so a failing assertion does not print a secret."""

import datetime
import hashlib
import json
import os
import signal
import subprocess
import sys

from conftest import CANARY, HOLDS_CANARY, canary_hits
from harness import WPECTL, wait_for
from oauth_flow import oauth_login, token

BASIC = ["WPE_API_USER_ID", "WPE_API_PASSWORD", "WP_ENGINE_API_USERNAME",
         "WP_ENGINE_API_PASSWORD", "WPENGINE_USERNAME", "WPENGINE_PASSWORD"]
TOKEN = ["WPENGINE_API_TOKEN", "WPE_API_TOKEN"]
PLAIN = ["WPE_API_URL", "WPED_SOCKET", "WPE_PROFILE"]

# Prints {name: sha256(value)} for every credential name that is set.
REPORT = ("import hashlib, json, os\n"
          f"names = {BASIC + TOKEN + PLAIN!r}\n"
          "print(json.dumps({n: hashlib.sha256(os.environ[n].encode()).hexdigest()\n"
          "                  for n in names if n in os.environ}))\n")


def ctl(stack, *args, env=None, **kw):
    """wpectl, marked as a process that holds a secret on purpose (conftest.HOLDS_CANARY)."""
    return stack.ctl(*args, env={HOLDS_CANARY: "1", **(env or {})}, **kw)


def h(value):
    return hashlib.sha256(value.encode()).hexdigest()


def exec_report(stack, *options, env=None):
    r = ctl(stack, "exec", *options, "--", sys.executable, "-c", REPORT, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def login_basic(stack):
    status, _, body = stack.request_json(
        "POST", "/v1/profiles/basic/login",
        json.dumps({"method": "basic", "user": stack.info["user"],
                    "password": stack.info["password"]}))
    assert status == 200, body


def plain_values(stack, profile):
    return {"WPE_API_URL": h(stack.info["api_url"]), "WPED_SOCKET": h(stack.daemon.socket_path),
            "WPE_PROFILE": h(profile)}


def test_api_key_profile_fills_the_token_names(stack):
    stack.login_api_key()
    # A stale value in wpectl's own environment is replaced, not kept beside the new one.
    seen = exec_report(stack, env={"WPE_API_TOKEN": "stale"})
    key = h(stack.info["api_key"])
    assert seen == {"WPENGINE_API_TOKEN": key, "WPE_API_TOKEN": key,
                    **plain_values(stack, "default")}


def test_basic_profile_fills_the_basic_names_and_names_selects(stack):
    login_basic(stack)
    user, password = h(stack.info["user"]), h(stack.info["password"])
    every = {"WPE_API_USER_ID": user, "WPE_API_PASSWORD": password,
             "WP_ENGINE_API_USERNAME": user, "WP_ENGINE_API_PASSWORD": password,
             "WPENGINE_USERNAME": user, "WPENGINE_PASSWORD": password}
    assert exec_report(stack, "--profile", "basic") == {**every, **plain_values(stack, "basic")}

    seen = exec_report(stack, "--profile", "basic", "--names", "wpe")
    assert seen == {"WPE_API_USER_ID": user, "WPE_API_PASSWORD": password,
                    **plain_values(stack, "basic")}
    seen = exec_report(stack, "--profile", "basic", "--names=wp-engine,wpengine")
    assert set(seen) == {"WP_ENGINE_API_USERNAME", "WP_ENGINE_API_PASSWORD",
                         "WPENGINE_USERNAME", "WPENGINE_PASSWORD", *PLAIN}


def test_a_style_that_cannot_carry_the_credential_runs_nothing(stack, tmp_path):
    login_basic(stack)
    marker = tmp_path / "ran"
    r = ctl(stack, "--profile", "basic", "exec", "--names", "token", "--", "touch", str(marker))
    assert r.returncode == 1 and "only the wpe, wp-engine and wpengine styles" in r.stderr
    r = ctl(stack, "exec", "--names", "wpe,bogus", "--", "touch", str(marker))
    assert r.returncode == 2 and 'unknown --names style "bogus"' in r.stderr
    assert not marker.exists()


def test_oauth_token_is_valid_for_min_valid(stack):
    oauth_login(stack)
    status, _, first = token(stack)
    assert status == 200
    seen = exec_report(stack, "--profile", "oauth")
    assert seen["WPENGINE_API_TOKEN"] == seen["WPE_API_TOKEN"] == h(first["access_token"])
    assert not set(seen) & set(BASIC)

    # 3594 s is more than the first token (3600 s) has left a few seconds on: a new one.
    wait_for(lambda: first_left(first) < 3593, timeout=15, what="the first token to age")
    r = ctl(stack, "--profile", "oauth", "exec", "--min-valid", "3594", "--", sys.executable,
            "-c", "import os; print(os.environ['WPENGINE_API_TOKEN'])")
    assert r.returncode == 0, r.stderr
    fresh = r.stdout.strip()
    assert fresh != first["access_token"] and stack.sandbox.token_active(fresh)
    r = ctl(stack, "exec", "--min-valid", "86401", "--", "true")
    assert r.returncode == 2 and "--min-valid" in r.stderr


def first_left(reply):
    expires = datetime.datetime.fromisoformat(reply["expires_at"].replace("Z", "+00:00"))
    return (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()


def test_not_logged_in_exits_4_without_running_the_command(stack, tmp_path):
    marker = tmp_path / "ran"
    r = ctl(stack, "exec", "--", "touch", str(marker))
    assert r.returncode == 4 and "not logged in" in r.stderr and "wpectl login" in r.stderr
    assert not marker.exists()


def test_usage_errors(stack):
    stack.login_api_key()
    r = ctl(stack, "exec")
    assert r.returncode == 2 and "after --" in r.stderr
    r = ctl(stack, "exec", "--")
    assert r.returncode == 2 and "after --" in r.stderr
    r = ctl(stack, "exec", "true")
    assert r.returncode == 2
    r = ctl(stack, "exec", "--", "no-such-program-wpectl-test")
    assert r.returncode == 127 and "no-such-program-wpectl-test" in r.stderr


def test_exit_status_and_options_after_dashes_are_the_childs(stack):
    stack.login_api_key()
    r = ctl(stack, "exec", "--", sys.executable, "-c", "import sys; sys.exit(7)")
    assert r.returncode == 7
    r = ctl(stack, "exec", "--", sys.executable, "-c",
                  "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert r.returncode == 128 + signal.SIGKILL
    # --help and --profile after -- belong to the child, not to wpectl.
    r = ctl(stack, "exec", "--", sys.executable, "-c", "import sys; print(sys.argv[1:])",
                  "--help", "--profile", "x")
    assert r.returncode == 0 and r.stdout.strip() == "['--help', '--profile', 'x']"
    # stdin is the child's.
    r = ctl(stack, "exec", "--", sys.executable, "-c",
            "import sys; print(sys.stdin.read()[::-1])", input="abc")
    assert r.returncode == 0 and r.stdout.strip() == "cba"


CHILD = """
import os, signal, sys, time
ready, marker = sys.argv[1], sys.argv[2]
def on_term(signum, frame):
    with open(marker, "w") as f:
        f.write("SIGTERM")
    os._exit(5)
signal.signal(signal.SIGTERM, on_term)
with open(ready, "w") as f:
    f.write(str(os.getpid()))
while True:
    time.sleep(0.1)
"""
# Once in ~35 CI runs the child did not end after SIGTERM. Found afterwards: asleep in
# pause(2), the handler installed, nothing pending, and (since the test's cleanup had not
# killed it) its marker written, so the handler ran but SystemExit did not end it. Now it
# ends with os._exit, which no code of Python's can catch, and waits in a loop of sleeps
# rather than signal.pause(), whose own race (a signal just before the call waits for a
# second one) the test would also hit.


def signal_state(wpectl, child, marker):
    """What a stuck SIGTERM forward looks like from /proc: each process's state, wait channel
    and signal masks, and whether the child's handler ran."""
    parts = [f"marker written: {marker.exists()}"]
    for name, pid in (("wpectl", wpectl), ("child", child)):
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            with open(f"/proc/{pid}/wchan") as f:
                wchan = f.read().strip()
            shown = ("State", "SigPnd", "ShdPnd", "SigBlk", "SigCgt")
            parts.append(f"{name} {pid}: " + ", ".join(
                f"{k} {fields[k].strip()}" for k in shown if k in fields) + f", wchan {wchan}")
        except OSError as e:
            parts.append(f"{name} {pid}: {e}")
    return "; ".join(parts)


def test_sigterm_reaches_the_child_and_no_secret_outside_it(stack, tmp_path):
    stack.login_api_key()
    ready, marker = tmp_path / "ready", tmp_path / "marker"
    proc = subprocess.Popen([WPECTL, "exec", "--", sys.executable, "-c", CHILD, str(ready),
                             str(marker)],
                            env=stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path,
                                                 **{HOLDS_CANARY: "1"}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: ready.exists() and ready.read_text(), what="the child to start")
        child = int(ready.read_text())
        with open(f"/proc/{child}/environ", "rb") as f:
            assert CANARY in f.read()  # the child does hold it …
        for pid in (proc.pid, stack.daemon.proc.pid):  # … wpectl and wped do not
            for what in ("environ", "cmdline"):
                with open(f"/proc/{pid}/{what}", "rb") as f:
                    assert CANARY not in f.read(), f"/proc/{pid}/{what}"
        # Nor any file of this test's (not all of /proc: other suites running beside this one
        # have children of their own).
        assert [p for p in canary_hits([stack.root],
                                       skip=(os.path.join(stack.root, "sandbox"),))
                if not p.startswith("/proc/")] == []
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # Say where it stuck (seen once, with the child of the time; see CHILD).
            raise AssertionError("wpectl exec did not end 10 s after SIGTERM: "
                                 + signal_state(proc.pid, child, marker))
        assert code == 5
        assert marker.read_text() == "SIGTERM"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if ready.exists() and ready.read_text() and not marker.exists():
            try:  # a wpectl that failed to forward left the child running
                os.kill(int(ready.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


PIECES = """
import os, sys, time
secret = os.environ["WPENGINE_API_TOKEN"]
cut = len(secret) // 2
for stream in (sys.stdout, sys.stderr):
    stream.write("key=" + secret[:cut])
    stream.flush()
    time.sleep(0.2)  # a separate write, so wpectl reads the two halves apart
    stream.write(secret[cut:] + " done\\n")
    stream.flush()
"""


def test_mask_hides_a_secret_printed_in_pieces(stack):
    stack.login_api_key()
    r = ctl(stack, "exec", "--mask", "--", sys.executable, "-c", PIECES)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "key=<concealed by wpectl> done\n"
    assert r.stderr == "key=<concealed by wpectl> done\n"
    # Without --mask the child's output is its own, secret and all.
    r = ctl(stack, "exec", "--", sys.executable, "-c", PIECES)
    assert r.returncode == 0 and r.stdout == f"key={stack.info['api_key']} done\n"
