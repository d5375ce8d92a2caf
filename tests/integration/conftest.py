"""Fixtures that compose the harness modules into what the integration tests need: the real
wpe-sandbox (HTTPS on loopback), a private D-Bus session with a real gnome-keyring, and the
real wped driven through the real wpectl — each test in its own temporary directories.

    def test_x(stack):                      # sandbox + unlocked keyring + wped, logged out
        stack.login_api_key()
        r = stack.ctl("sites", "--json")

    def test_y(make_stack):                 # the same with options
        s = make_stack(sites=2500, keyring="locked", memory=False)
"""

import json
import os
import shutil
import sqlite3
import tempfile

import pytest

from harness import wait_for
from harness.daemon import Daemon
from harness.keyring import Keyring
from harness.sandbox import Sandbox

CANARY = b"wpecanary"


# In the environment of a process that holds a secret because the user asked for it (the
# children `wpectl exec` starts, shells that eval `wpectl token --format env`): the global
# scan leaves it out, so a parallel test's scan does not trip over them; their own tests
# check wpectl and wped themselves.
HOLDS_CANARY = "WPED_TEST_HOLDS_CANARY"


def holds_canary_on_purpose(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return (HOLDS_CANARY + "=1").encode() in f.read().split(b"\0")
    except OSError:
        return False


def canary_hits(roots, marker=CANARY, skip=()):
    """Paths under `roots` and /proc/PID/{cmdline,environ} of every process that contain
    `marker`. The sandbox's own state directory (its sandbox.json holds the secrets it
    issued) is passed in `skip`."""
    hits = []
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            if any(dirpath.startswith(s) for s in skip):
                continue
            for name in files:
                path = os.path.join(dirpath, name)
                try:
                    if os.path.islink(path) or not os.path.isfile(path):
                        continue
                    with open(path, "rb") as f:
                        if marker in f.read():
                            hits.append(path)
                except OSError:
                    pass
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or holds_canary_on_purpose(pid):
            continue
        for what in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as f:
                    if marker in f.read():
                        hits.append(f"/proc/{pid}/{what}")
            except OSError:
                pass
    return hits


class Stack:
    """One sandbox, one keyring session and one wped pointed at them."""

    def __init__(self, root, sites=25, keyring="unlocked", memory=False, token_ttl=None,
                 latency_ms=None, daemon_config=None, start=True, sandbox_options=None):
        self.root = root
        self.sandbox = Sandbox().start(os.path.join(root, "sandbox"), sites=sites,
                                       token_ttl=token_ttl, latency_ms=latency_ms,
                                       **(sandbox_options or {}))
        self.info = self.sandbox.info
        self.daemon = Daemon(root=os.path.join(root, "wped"))
        self.keyring = Keyring().start(self.daemon.home, keyring)
        env = {k: v for k, v in self.keyring.env().items() if k != "XDG_RUNTIME_DIR"}
        if "DBUS_SESSION_BUS_ADDRESS" not in env:
            env["DBUS_SESSION_BUS_ADDRESS"] = None  # no_bus: no ambient bus either
        self.daemon.extra_env.update(env)
        self.daemon.extra_env["DISPLAY"] = None
        self.config = self.default_config(memory)
        for section, keys in (daemon_config or {}).items():
            self.config.setdefault(section, {}).update(keys)
        self.daemon.write_config(self.config)
        if start:
            self.daemon.start()

    def default_config(self, memory):
        i = self.info
        common = {"api_url": i["api_url"], "ca_file": i["ca_file"]}
        oauth = {**common, "auth": "oauth", "authorize_url": i["authorize_url"],
                 "token_url": i["token_url"], "revoke_url": i["revoke_url"]}
        return {
            "daemon": {"log_level": "debug",
                       "credential_store": "memory" if memory else "keyring"},
            "profile.default": {**common, "auth": "api_key"},
            "profile.basic": {**common, "auth": "basic", "user": i["user"]},
            "profile.oauth": {**oauth, "client_id": i["client_id"]},
            "profile.confidential": {**oauth, "client_id": i["confidential_client_id"]},
        }

    # --- conveniences ----------------------------------------------------------------------
    def ctl(self, *args, **kw):
        return self.daemon.ctl(*args, **kw)

    def ctl_json(self, *args, **kw):
        r = self.daemon.ctl(*args, "--json", **kw)
        assert r.returncode == 0, f"wpectl {' '.join(args)} failed ({r.returncode}): {r.stderr}"
        return json.loads(r.stdout)

    def status(self):
        return self.ctl_json("status")

    def profile_status(self, name="default"):
        for p in self.status()["profiles"]:
            if p["name"] == name:
                return p
        raise AssertionError(f"no profile {name} in status")

    def wait_every_list_synced(self, profile="default", timeout=60.0):
        """Waits until sites, installs and accounts are all cached and no sync of the profile
        is running, so the next POST /sync starts a sync of its own instead of joining the
        end of one begun before (which would answer with what that one fetched)."""
        def done():
            status, _, data = self.daemon.request("GET", "/v1/status")
            if status != 200:
                return False
            for p in json.loads(data)["profiles"]:
                if p["name"] == profile:
                    kinds = ("sites", "installs", "accounts")
                    return all(p.get(f"{k}_synced_at", "never") != "never"
                               and p.get(f"{k}_syncing") != "true" for k in kinds)
            return False
        wait_for(done, timeout=timeout, what=f"every list of {profile} synced, no sync running")

    def login_api_key(self, profile="default", key=None):
        r = self.ctl("login", "--profile", profile, "--api-key",
                     input=(key or self.info["api_key"]) + "\n")
        assert r.returncode == 0, f"login failed ({r.returncode}): {r.stderr}"
        return r

    def request_json(self, method, path, body=None):
        status, headers, data = self.daemon.request(method, path, body)
        return status, headers, (json.loads(data) if data else None)

    def cache_db(self):
        """The daemon's SQLite cache file."""
        return os.path.join(self.daemon.cache_home, "wped", "cache.db")

    def cache_rows(self, table="sites", profile="default"):
        """Rows of `table` for `profile`, read by SQLite itself (read-only)."""
        db = sqlite3.connect(f"file:{self.cache_db()}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(f"SELECT count(*) FROM {table} WHERE profile=?",
                              (profile,)).fetchone()[0]
        finally:
            db.close()

    def canary_hits(self):
        return canary_hits([self.root], skip=(os.path.join(self.root, "sandbox"),))

    def close(self):
        try:
            self.daemon.stop()
        finally:
            try:
                self.daemon.cleanup()
            finally:
                self.keyring.stop()
                self.sandbox.stop()


@pytest.fixture
def make_stack():
    stacks = []
    roots = []

    def make(**kw):
        root = tempfile.mkdtemp(prefix="wped-it-", dir="/tmp")
        roots.append(root)
        s = Stack(root, **kw)
        stacks.append(s)
        return s

    yield make
    for s in reversed(stacks):
        s.close()
    for r in roots:
        shutil.rmtree(r, ignore_errors=True)


@pytest.fixture
def stack(make_stack):
    return make_stack()
