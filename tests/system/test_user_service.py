"""The installed product under a real systemd user manager (issue 7): installed into ~/.local
exactly as the README says, then socket activation, Type=notify readiness, the sandboxing in
force, a login and a sync inside the sandboxed service, restart/stop/re-activation, the
watchdog, reload with a good and a bad config, journal priorities, and a config typo shown
where the user typed the command. One booted container for the module; each test sets up
the state it needs."""

import json

import pytest

from harness import wait_for
from conftest import (BROWSER, alice_config, install_as_readme_says, make_box,
                      write_alice_config)

SOCKET = "/run/user/1000/wped/wped.sock"
CA = "/home/alice/.config/wped/sandbox-ca.pem"


@pytest.fixture(scope="module")
def home(base, sandbox):
    b = make_box(base, "home")
    try:
        write_alice_config(b, sandbox)
        install_as_readme_says(b, "install-home")
        yield b
    finally:
        b.down()


@pytest.fixture
def svc(home, sandbox):
    """The box with the good config in place and wped.socket listening (wped may be up)."""
    write_alice_config(home, sandbox)
    drop_in = "~/.config/systemd/user/wped.service.d"
    home.alice(f"rm -rf {drop_in}; systemctl --user daemon-reload;"
               " systemctl --user reset-failed wped.service wped.socket; true")
    r = home.alice("systemctl --user start wped.socket")
    assert r.returncode == 0, r.stderr
    return home


def show(b, prop, unit="wped.service"):
    return b.alice(f"systemctl --user show {unit} -p {prop} --value").stdout.strip()


def active(b, unit="wped.service"):
    return b.alice(f"systemctl --user is-active {unit}").stdout.strip()


def ctl(b, args, input=None, env=None):
    return b.alice("wpectl " + args, input=input, env=env)


def login_api_key(b, sb):
    r = ctl(b, "login --api-key", input=sb.info["api_key"] + "\n")
    assert r.returncode == 0, f"login failed ({r.returncode}): {r.stderr}"


def profile(b, name="default"):
    r = ctl(b, "status --json")
    assert r.returncode == 0, r.stderr
    return next(p for p in json.loads(r.stdout)["profiles"] if p["name"] == name)


def journal(b, *args):
    """wped's journal lines (the user unit's), read as root from the container's journal."""
    # (--user-unit would add _UID=0, the caller's: match the field instead)
    r = b.root("journalctl --no-pager _SYSTEMD_USER_UNIT=wped.service " + " ".join(args))
    return r.stdout


def wait(predicate, timeout, what):
    return wait_for(predicate, timeout, what, interval=0.2)


def test_the_readme_install_puts_the_units_where_the_user_manager_finds_them(svc):
    paths = svc.alice("systemd-analyze --user unit-paths").stdout.split()
    installed = svc.alice("ls ~/.local/share/systemd/user").stdout.split()
    assert "/home/alice/.local/share/systemd/user" in paths
    assert {"wped.service", "wped.socket"} <= set(installed)
    assert svc.alice("systemctl --user is-enabled wped.socket").stdout.strip() == "enabled"
    assert active(svc, "wped.socket") == "active"
    # ExecStart names the installed binary, not the build tree
    assert "/home/alice/.local/bin/wped" in show(svc, "ExecStart")


def test_the_first_wpectl_call_starts_wped_and_it_says_it_is_ready(svc):
    svc.alice("systemctl --user stop wped.service")
    assert active(svc) == "inactive"
    r = ctl(svc, "status --json")
    assert r.returncode == 0, r.stderr
    assert active(svc) == "active"
    assert show(svc, "Type") == "notify"
    assert f"serving on {SOCKET}" in show(svc, "StatusText")
    assert int(show(svc, "MainPID")) == json.loads(r.stdout)["pid"]


def test_a_login_and_a_sync_inside_the_sandboxed_service(svc, sandbox):
    login_api_key(svc, sandbox)
    r = ctl(svc, "sites --refresh --json")
    assert r.returncode == 0, r.stderr
    assert profile(svc)["sites_count"] == "120"
    mode = svc.alice("stat -c %a ~/.cache/wped/cache.db").stdout.strip()
    assert mode == "600"
    # The key went to the keyring (encrypted on disk) and nowhere else: not in any file the
    # box wrote, nor in the journal.
    key = sandbox.info["api_key"]
    # The key reaches grep on stdin, not in its argv: the box's processes are the host's, and
    # a parallel test's canary scan of /proc/*/cmdline would find it there.
    hits = svc.root("grep -rlF -f - /home /run /var/log /tmp /etc 2>/dev/null", input=key + "\n")
    assert hits.stdout == ""
    assert key not in journal(svc)


def test_the_sandboxing_is_in_force(svc):
    assert ctl(svc, "status").returncode == 0
    pid = show(svc, "MainPID")
    manager = svc.root("pgrep -u alice -x systemd").stdout.split()[0]
    ns = svc.root(f"readlink /proc/{pid}/ns/mnt /proc/{manager}/ns/mnt").stdout.split()
    assert len(ns) == 2 and ns[0] != ns[1], "wped shares its user manager's mount namespace"
    for outside in ("/usr/wped-escape", "/home/alice/wped-escape", "/etc/wped-escape"):
        r = svc.root(f"nsenter -t {pid} -m touch {outside}")
        assert r.returncode != 0, f"wped could write {outside}"
        assert svc.root(f"test -e {outside}").returncode != 0
    r = svc.root(f"nsenter -t {pid} -m touch /home/alice/.cache/wped/probe")
    assert r.returncode == 0, f"the cache directory is not writable inside wped: {r.stderr}"
    svc.root("rm -f /home/alice/.cache/wped/probe")


def test_stop_restart_and_reactivation_keep_the_credential(svc, sandbox):
    login_api_key(svc, sandbox)
    for _ in range(3):
        assert svc.alice("systemctl --user stop wped.service").returncode == 0
        assert active(svc) == "inactive"
        assert svc.alice(f"test -S {SOCKET}").returncode == 0  # the socket unit keeps it
        # The very first call after the stop activates wped, which must not answer "not logged
        # in" while it is still reading the credential from the keyring.
        r = ctl(svc, "sites --refresh")
        assert r.returncode == 0, f"first call after activation failed: {r.stderr}"
    assert svc.alice("systemctl --user restart wped.service").returncode == 0
    r = ctl(svc, "token --header")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ApiKey " + sandbox.info["api_key"]


def test_the_watchdog_restarts_a_hung_wped_and_the_grant_comes_back(svc, sandbox):
    drop_in = "~/.config/systemd/user/wped.service.d"
    r = svc.alice(f"mkdir -p {drop_in} && printf '[Service]\\nWatchdogSec=3\\n' > {drop_in}/"
                  "watchdog.conf && systemctl --user daemon-reload &&"
                  " systemctl --user restart wped.service")
    assert r.returncode == 0, r.stderr
    browser = f"/usr/bin/python3 {BROWSER} --ca {CA} %s"
    r = ctl(svc, "login --profile oauth --oauth", env={"BROWSER": browser, "DISPLAY": ":0"})
    assert r.returncode == 0, f"OAuth login failed: {r.stdout} {r.stderr}"
    before = ctl(svc, "token --profile oauth --json")
    assert before.returncode == 0, before.stderr
    pid = show(svc, "MainPID")
    restarts = int(show(svc, "NRestarts"))
    assert svc.alice(f"kill -STOP {pid}").returncode == 0
    wait(lambda: show(svc, "MainPID") not in ("0", pid) and active(svc) == "active", 30,
         "systemd to restart the stopped wped")
    assert int(show(svc, "NRestarts")) == restarts + 1
    assert "Watchdog timeout" in svc.root("journalctl --no-pager -u user@1000.service").stdout
    after = ctl(svc, "token --profile oauth --json")
    assert after.returncode == 0, after.stderr
    # the same grant, read back from the keyring: no new login was needed
    assert json.loads(after.stdout)["access_token"] == json.loads(before.stdout)["access_token"]


def test_systemctl_reload_applies_a_good_config_and_keeps_it_on_a_bad_one(svc, sandbox):
    assert ctl(svc, "status").returncode == 0
    pid = show(svc, "MainPID")
    good = alice_config(sandbox) + "\n[profile.extra]\napi_url = " + sandbox.info["api_url"] + "\n"
    svc.alice("cat > ~/.config/wped/wped.ini", input=good)
    r = svc.alice("systemctl --user reload wped")
    assert r.returncode == 0, r.stderr
    assert "3 profile(s)" in show(svc, "StatusText")
    assert "extra" in [p["name"] for p in json.loads(ctl(svc, "status --json").stdout)["profiles"]]

    svc.alice("cat >> ~/.config/wped/wped.ini", input="[daemon]\nlog_level = loudest\n")
    r = svc.alice("systemctl --user reload wped")
    assert r.returncode != 0, "a reload with a bad config reported success"
    assert active(svc) == "active" and show(svc, "MainPID") == pid
    assert "reload failed" in show(svc, "StatusText")
    names = [p["name"] for p in json.loads(ctl(svc, "status --json").stdout)["profiles"]]
    assert "extra" in names  # the previous configuration is kept
    assert "reload failed" in journal(svc, "-p", "err", "-o", "cat")


def test_journal_lines_carry_their_priority_and_no_prefix(svc):
    svc.alice("systemctl --user restart wped.service")
    assert ctl(svc, "status").returncode == 0
    records = [json.loads(line) for line in journal(svc, "-o", "json").splitlines() if line]
    serving = [r for r in records if "serving on" in str(r.get("MESSAGE", ""))]
    assert serving, "no 'serving on' record in the journal"
    assert all(r["PRIORITY"] == "6" for r in serving)
    assert not [r for r in records if str(r.get("MESSAGE", "")).startswith("<")]


def test_a_config_typo_is_shown_where_the_user_typed_the_command(svc, sandbox):
    svc.alice("systemctl --user stop wped.service")
    typo = alice_config(sandbox, extra_daemon={"sync_intervall": "60"})
    svc.alice("cat > ~/.config/wped/wped.ini", input=typo)
    for _ in range(2):
        r = ctl(svc, "status")
        assert r.returncode != 0
        assert "sync_intervall" in r.stderr, r.stderr
    assert active(svc, "wped.socket") == "active", "the socket unit gave up"
    assert "sync_intervall" in show(svc, "StatusText")
    write_alice_config(svc, sandbox)
    r = ctl(svc, "reload")
    assert r.returncode == 0, r.stderr
    assert ctl(svc, "status").returncode == 0
