#!/usr/bin/env python3
"""The README's demo: the real wped against the bundled wpe-sandbox, in temporary directories
with a private D-Bus session and a real gnome-keyring, driven by the real wpectl — exactly
what a user would type. Nothing outside the temporary directory is touched.

    python3 tests/demo.py [BUILD_DIR]       (make demo runs it)
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "integration"))
if len(sys.argv) > 1:
    os.environ.setdefault("WPED_BUILD_DIR", os.path.abspath(sys.argv[1]))

from harness import WPECTL, wait_for  # noqa: E402
from harness.daemon import Daemon  # noqa: E402
from harness.keyring import Keyring  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402

BOLD, DIM, RESET = ("\033[1m", "\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "", "")


def say(text):
    print(f"\n{BOLD}== {text}{RESET}", flush=True)


def run(daemon, *args, input=None, env=None, show_input=None):
    shown = "wpectl " + " ".join(shlex.quote(a) for a in args)
    if show_input:
        shown = f"{show_input} | {shown}"
    print(f"{DIM}$ {shown}{RESET}", flush=True)
    # stderr merged into stdout, so messages show in the order a terminal would show them.
    full_env = daemon.env(WPED_SOCKET=daemon.socket_path)
    full_env.update(env or {})
    r = subprocess.run([WPECTL, *args], input=input, env=full_env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=120)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        raise SystemExit(f"demo: `{shown}` failed with exit {r.returncode}")
    return r


def main():
    root = tempfile.mkdtemp(prefix="wped-demo-")
    sandbox = keyring = daemon = None
    try:
        say("Starting wpe-sandbox (a local HTTPS stand-in for the WP Engine API, 40 sites)")
        sandbox = Sandbox().start(os.path.join(root, "sandbox"), sites=40, token_ttl=75)
        info = sandbox.info
        print(f"API at {info['api_url']}, CA {info['ca_file']}")

        daemon = Daemon(root=os.path.join(root, "wped"))
        say("Starting a private D-Bus session with gnome-keyring (the Secret Service)")
        keyring = Keyring().start(daemon.home, "unlocked")
        daemon.extra_env.update({"DBUS_SESSION_BUS_ADDRESS": keyring.address, "DISPLAY": None})
        common = {"api_url": info["api_url"], "ca_file": info["ca_file"]}
        daemon.write_config({
            "profile.default": {**common, "auth": "api_key"},
            "profile.oauth": {**common, "auth": "oauth", "client_id": info["client_id"],
                              "authorize_url": info["authorize_url"],
                              "token_url": info["token_url"], "revoke_url": info["revoke_url"]},
        })
        print(f"config: {daemon.config_path}")

        say("Starting wped")
        daemon.start()
        run(daemon, "status")

        say("Logging in with the sandbox's API key (read from stdin, stored in the keyring)")
        run(daemon, "login", "--api-key", input=info["api_key"] + "\n",
            show_input="printf %s \"$API_KEY\"")

        say("The site list, synced in the background and served from the SQLite cache")
        run(daemon, "sites")

        say("The Authorization header a script would use (shortened here)")
        print(f"{DIM}$ wpectl token --header | cut -c1-20{RESET}")
        r = daemon.ctl("token", "--header")
        print(r.stdout.strip()[:20] + "…")

        say("Any API call through wped, which adds the credential")
        run(daemon, "api", "/installs?limit=2")

        say("Which local program used which credential: the audit trail (no secret in it)")
        run(daemon, "audit")

        say("OAuth 2.0 login with PKCE; a script plays the browser and follows the redirect")
        browser = os.path.join(HERE, "integration", "oauth_browser.py")
        # wpectl gives the browser a minimal environment, so the CA goes in as an argument.
        env = {"BROWSER": f"{browser} --ca {info['ca_file']} %s", "DISPLAY": ":demo"}
        run(daemon, "login", "--profile", "oauth", "--oauth", env=env)
        run(daemon, "token", "--profile", "oauth", "--json")

        say("wped refreshes the token before it expires (75 s tokens: due 60 s before expiry)")
        first = profile_extra(daemon, "oauth")
        print(f"token expires at {first.get('token_expires_at')}, "
              f"refresh due at {first.get('next_refresh_at')}")
        wait_for(lambda: profile_extra(daemon, "oauth").get("last_refresh_at"), timeout=60,
                 what="the scheduled refresh", interval=0.5)
        after = profile_extra(daemon, "oauth")
        print(f"refreshed at {after.get('last_refresh_at')}; "
              f"the new token expires at {after.get('token_expires_at')}")
        run(daemon, "status")
        say("Done. Everything above ran in " + root + " (now removed).")
    finally:
        for part in (daemon, keyring, sandbox):
            if part is None:
                continue
            try:
                part.stop()
            except Exception as e:  # keep tearing down the rest
                print(f"demo: stopping {type(part).__name__}: {e}", file=sys.stderr)
        if daemon is not None:
            daemon.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def profile_extra(daemon, name):
    r = daemon.ctl("status", "--json")
    for p in json.loads(r.stdout)["profiles"]:
        if p["name"] == name:
            return p.get("extra", p)
    return {}


if __name__ == "__main__":
    main()
