#!/usr/bin/env python3
"""List your WP Engine sites, show one, and call the API — through wped, holding no secret.

Run:  python3 examples/sites.py [PROFILE [SITE]]

PROFILE defaults to $WPE_PROFILE, else "default"; SITE is a site's name or id (the first site
listed when omitted). The socket is $WPED_SOCKET, else $XDG_RUNTIME_DIR/wped/wped.sock — the
same rules as wpectl. Log in once first (`wpectl login --api-key`); this script never sees a
key or a token: wped adds the Authorization header itself on the /api/ passthrough.

Standard library only: http.client speaks HTTP/1.1 to any socket we connect for it.
"""

import http.client
import json
import os
import socket
import sys
import urllib.parse


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over wped's Unix socket instead of TCP."""

    def __init__(self, path):
        super().__init__("localhost", timeout=60)  # the Host header; nothing is resolved
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class WpedError(Exception):
    pass


def socket_path():
    if os.environ.get("WPED_SOCKET"):
        return os.environ["WPED_SOCKET"]
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        raise WpedError("wped: XDG_RUNTIME_DIR is not set; set WPED_SOCKET to wped's socket")
    return os.path.join(runtime, "wped", "wped.sock")


def get(sock, path):
    """GET `path` from wped; the decoded JSON answer, or WpedError with a readable message."""
    conn = UnixHTTPConnection(sock)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
    except (FileNotFoundError, ConnectionRefusedError):
        # No socket file, or nobody listening on it: the daemon (and its socket unit) is down.
        raise WpedError("wped is not running: systemctl --user start wped.socket") from None
    finally:
        conn.close()
    if 200 <= resp.status < 300:
        return json.loads(body)
    raise WpedError(describe_error(resp.status, resp.getheader("X-Wped-Error"), body))


def describe_error(status, wped_code, body):
    """wped's own errors carry X-Wped-Error and {"error":{"code","message"}}; anything else on
    the passthrough is the WP Engine API's answer, passed on unchanged (usually {"message"})."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if wped_code:
        message = doc["error"]["message"] if doc else body.decode(errors="replace")
        return f"wped: {wped_code}: {message} (from wped, HTTP {status})"
    message = doc.get("message") if isinstance(doc, dict) else None
    message = message or body.decode(errors="replace").strip() or "(no body)"
    return f"wped: {status}: {message} (from the WP Engine API through the passthrough)"


def quote(segment):
    return urllib.parse.quote(segment, safe="")  # a site name may hold spaces or slashes


def main(argv):
    profile = argv[1] if len(argv) > 1 else os.environ.get("WPE_PROFILE") or "default"
    sock = socket_path()
    base = f"/v1/profiles/{quote(profile)}"
    print(f'wped at {sock}, profile "{profile}"')

    # 1. The site list, from wped's cache: no network, milliseconds, with its age.
    sites = get(sock, f"{base}/sites")
    stale = " (stale)" if sites["stale"] else ""
    print(f"{sites['count']} sites (synced {sites['synced_at']}){stale}:")
    for site in sites["results"]:
        print(f"  - {site['name']}  {site['id']}")
    if not sites["results"]:
        return 0

    # 2. One site by name or id, also from the cache.
    wanted = argv[2] if len(argv) > 2 else sites["results"][0]["name"]
    site = get(sock, f"{base}/sites/{quote(wanted)}")
    installs = ", ".join(f"{i['name']} ({i['environment']})" for i in site.get("installs", []))
    print(f'site "{site["name"]}":')
    print(f"  id:       {site['id']}")
    print(f"  account:  {site['account']['id']}")
    print(f"  installs: {installs or '-'}")

    # 3. Any WP Engine API call through the passthrough: /v1/profiles/P/api/user is
    #    GET {api_url}/user, sent by wped with the profile's credential.
    user = get(sock, f"{base}/api/user")
    print("through the passthrough, GET /user:")
    print(f"  {user['first_name']} {user['last_name']} <{user['email']}> (id {user['id']})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except WpedError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
