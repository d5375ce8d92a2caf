"""OAuth steps shared by test_oauth_login.py and test_token_lifecycle.py: drive wped's login
over the local API and play the browser with oauth_browser (no wpectl needed)."""

import json
import os
import socket
import subprocess
import time

from harness import wait_for
from oauth_browser import authorize, visit

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER = os.path.join(HERE, "oauth_browser.py")


def begin_login(stack, profile="oauth", client_secret=None):
    """POST /v1/profiles/{p}/login {"method":"oauth"} → the 202 body."""
    body = {"method": "oauth"}
    if client_secret is not None:
        body["client_secret"] = client_secret
    status, headers, data = stack.request_json("POST", f"/v1/profiles/{profile}/login",
                                                json.dumps(body))
    assert status == 202, f"login start → {status} {data}"
    assert {"login_id", "authorize_url", "expires_at"} <= set(data), data
    assert headers.get("Cache-Control") == "no-store", headers  # docs/local-api.md
    return data


def login_progress(stack, login_id, wait=0):
    status, _, data = stack.request_json("GET", f"/v1/logins/{login_id}?wait={wait}")
    assert status == 200, f"login progress → {status} {data}"
    return data


def wait_login_done(stack, login_id, timeout=10.0):
    """Polls (long-poll 1 s at a time) until the login is no longer pending."""
    return wait_for(lambda: (lambda p: p if p["state"] != "pending" else None)(
        login_progress(stack, login_id, wait=1)), timeout=timeout, what=f"login {login_id}")


def redirect_of(stack, authorize_url):
    """What the sandbox's authorization endpoint redirects the browser to."""
    status, location = authorize(authorize_url, stack.info["ca_file"])
    assert status == 302 and location, f"authorize → {status}"
    return location


def oauth_login(stack, profile="oauth", client_secret=None):
    """A whole successful login; returns the final progress document."""
    started = begin_login(stack, profile, client_secret)
    location = redirect_of(stack, started["authorize_url"])
    status, body = visit(location)
    assert status == 200, f"listener → {status}: {body[:300]}"
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "succeeded", done
    return done


def token(stack, profile="oauth", min_valid=None):
    path = f"/v1/profiles/{profile}/token"
    if min_valid is not None:
        path += f"?min_valid={min_valid}"
    return stack.request_json("GET", path)


def api(stack, path, profile="oauth", method="GET"):
    """The authenticated passthrough → (status, parsed body)."""
    status, _, data = stack.request_json(method, f"/v1/profiles/{profile}/api/{path}")
    return status, data


def keyring_items(stack, profile="oauth"):
    """`secret-tool search --all profile P` in the stack's keyring session (stdout text)."""
    r = subprocess.run(["secret-tool", "search", "--all", "profile", profile],
                       env=stack.keyring.full_env(), capture_output=True, text=True, timeout=20)
    return r.stdout


def stored_grant(stack, profile="oauth"):
    """The JSON secret wped keeps for an oauth profile (via secret-tool lookup), or None."""
    r = subprocess.run(["secret-tool", "lookup", "profile", profile],
                       env=stack.keyring.full_env(), capture_output=True, text=True, timeout=20)
    return json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else None


def counter(stack, *keys):
    value = stack.sandbox.counters()
    for key in keys:
        value = (value or {}).get(key, 0) if isinstance(value, dict) else 0
    return value or 0


def token_requests(stack):
    return counter(stack, "by_path", "POST /oauth/token")


def profile_status(stack, name="oauth"):
    status, _, data = stack.request_json("GET", "/v1/status")
    assert status == 200, data
    for p in data["profiles"]:
        if p["name"] == name:
            return p
    raise AssertionError(f"no profile {name} in {data}")


def connect_refused(port):
    """True when nothing listens on 127.0.0.1:port any more (a login's listener closed)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except ConnectionRefusedError:
        return True


def listening_on(port):
    """Local addresses (hex, as in /proc/net/tcp{,6}) in LISTEN state on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    addr, hexport = fields[1].split(":")
                    if int(hexport, 16) == port and fields[3] == "0A":
                        found.append(addr)
        except FileNotFoundError:
            pass
    return found


def elapsed(fn):
    start = time.monotonic()
    value = fn()
    return value, time.monotonic() - start
