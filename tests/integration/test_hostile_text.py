"""Text the API or an authorization server chose reaches neither the user's terminal nor the
log as it was sent: site names with terminal escapes, an error_description that echoes a
secret, a plain-http loopback upstream that would repeat its warning per request, and a
loopback login listener flooded by idle and slow connections (docs/security.md rules 19,
20 and 7)."""

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from harness import wait_for
from oauth_browser import visit
from oauth_flow import begin_login, login_progress, redirect_of, wait_login_done

# A window-title change, a colour, BEL, a C1 CSI, right-to-left override and isolate.
HOSTILE_NAME = "evil\x1b]0;pwned\x07\x1b[31mred\u202eexe.txt\u2066x\u009b2J"
HOSTILE_SHOWN = "evil\\x1b]0;pwned\\x07\\x1b[31mred\\u202eexe.txt\\u2066x\\u009b2J"
RAW_BYTES = ("\x1b", "\x07", "\u202e", "\u2066", "\u009b")


def rename_site(stack, site_id, name):
    status, _, body = stack.sandbox.request(
        "PATCH", f"/v1/sites/{site_id}", {"name": name},
        headers={"Authorization": stack.sandbox.api_key_header()})
    assert status == 200, body


def first_site_id(stack):
    sites = stack.ctl_json("sites")["results"]
    return sites[0]["id"]


def test_site_names_are_shown_escaped_and_json_stays_exact(stack):
    stack.login_api_key()
    # Every list, not only the sites that `wpectl sites` waits for: a `sites --refresh` while
    # the first sync still walks the installs or accounts joins it, and answers with the sites
    # it fetched before the rename below.
    stack.wait_every_list_synced()
    site_id = first_site_id(stack)
    rename_site(stack, site_id, HOSTILE_NAME)

    listed = stack.ctl("sites", "--refresh")
    assert listed.returncode == 0, listed.stderr
    for raw in RAW_BYTES:
        assert raw not in listed.stdout, repr(raw)
    # Not a terminal: 100 columns, so the long name is cut, escapes and all, with "…".
    shown = HOSTILE_SHOWN[:20]
    assert shown in listed.stdout
    # Columns still line up with the escaped text: the ID column starts where its header does.
    lines = listed.stdout.splitlines()
    row = next(line for line in lines if shown in line)
    assert row.index(site_id[:8]) == lines[0].index("ID"), listed.stdout

    detail = stack.ctl("site", site_id)
    assert detail.returncode == 0, detail.stderr
    for raw in RAW_BYTES:
        assert raw not in detail.stdout, repr(raw)
    assert detail.stdout.splitlines()[0] == HOSTILE_SHOWN

    exact = stack.ctl_json("sites")
    assert HOSTILE_NAME in [s["name"] for s in exact["results"]]
    assert stack.ctl_json("site", site_id)["name"] == HOSTILE_NAME


def test_an_error_description_echoing_a_secret_never_reaches_the_log(stack):
    secret = stack.info["client_secret"]
    assert "wpecanary" in secret
    description = "bad \x1b[31m client " + secret + " rejected"
    stack.sandbox.fault(path="/oauth/token", grant_type="authorization_code", status=400,
                        body=json.dumps({"error": "invalid_client",
                                         "error_description": description}))
    started = begin_login(stack, "confidential", secret)
    status, _ = visit(redirect_of(stack, started["authorize_url"]))
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed", done
    message = done["error"]["message"]
    assert "invalid_client" in message
    assert "wpecanary" not in message and secret not in message, message

    log = stack.daemon.log_text()
    assert "invalid_client" in log
    assert "wpecanary" not in log
    # Escaped once: the ESC shows as \x1b, not as \x5cx1b (the channel re-escaping it).
    assert "\\x1b[31m" in log and "\\x5cx1b" not in log, log
    assert stack.canary_hits() == []


class _PlainHttpProxy(http.server.ThreadingHTTPServer):
    """A plain-http loopback front for the sandbox's HTTPS API (so api_url can be http://)."""
    daemon_threads = True


def _proxy_handler(sandbox):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            headers = {k: v for k, v in self.headers.items() if k.lower() == "authorization"}
            status, response_headers, body = sandbox.request("GET", self.path, headers=headers)
            self.send_response(status)
            self.send_header("Content-Type", response_headers.get("content-type", "text/plain"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def test_plain_http_loopback_is_warned_once_per_profile_over_a_whole_sync(make_stack):
    stack = make_stack(sites=250, start=False)
    proxy = _PlainHttpProxy(("127.0.0.1", 0), _proxy_handler(stack.sandbox))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        api_path = urllib.parse.urlsplit(stack.info["api_url"]).path
        http_url = f"http://127.0.0.1:{proxy.server_address[1]}{api_path}"
        stack.config["profile.default"]["api_url"] = http_url
        stack.daemon.write_config(stack.config)
        stack.daemon.start()
        stack.login_api_key()
        assert len(stack.ctl_json("sites")["results"]) == 250
        stack.ctl_json("installs")
        assert stack.ctl("sites", "--refresh").returncode == 0
        log = stack.daemon.log_text()
        # The config check says it once at start; the transport once per profile, not per page.
        assert log.count("sending plain http://") == 1, log.count("sending plain http://")
    finally:
        proxy.shutdown()
        proxy.server_close()


FLOOD = r"""
import socket, sys, time
port = int(sys.argv[1])
idle, drip = [], []
for _ in range(200):
    s = socket.socket(); s.setblocking(False)
    s.connect_ex(("127.0.0.1", port)); idle.append(s)
for _ in range(20):
    s = socket.socket(); s.setblocking(False)
    s.connect_ex(("127.0.0.1", port)); drip.append(s)
time.sleep(0.5)
print("ready", flush=True)
request = b"GET /callback?state=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
for i in range(600):
    for s in drip:
        try:
            s.send(request[i % len(request):i % len(request) + 1])
        except OSError:
            pass
    time.sleep(0.1)
"""


def test_login_completes_while_other_connections_stall_the_listener(stack):
    started = begin_login(stack)
    location = redirect_of(stack, started["authorize_url"])
    port = urllib.parse.urlsplit(location).port
    argv = [sys.executable, "-c", FLOOD, str(port)]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
    flood = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert flood.stdout.readline().strip() == "ready"
        time.sleep(1.0)  # the drip is under way
        status, page = visit(location, timeout=10)
        assert status == 200 and "Login complete" in page, (status, page[:300])
        done = wait_login_done(stack, started["login_id"])
        assert done["state"] == "succeeded", done
    finally:
        flood.kill()
        flood.wait()
    assert login_progress(stack, started["login_id"])["state"] == "succeeded"
