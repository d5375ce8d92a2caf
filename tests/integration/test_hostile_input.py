"""Hostile input that must never reach a header or a terminal: credentials with CR, LF or NUL
(at login, from a token endpoint), a Basic user id with ':', wpectl holding a secret while it
can still be inspected, and http://localhost, which the config and the OAuth client must
judge alike (docs/security.md rules 2 and 11)."""

import http.server
import json
import os
import subprocess
import threading

import pytest

from harness import WPECTL, wait_for
from oauth_flow import (begin_login, keyring_items, oauth_login, redirect_of, stored_grant,
                        token, wait_login_done)
from oauth_browser import visit

SMUGGLE = "\r\nX-Injected: yes\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: upstream\r\n\r\n"


def sandbox_requests(stack):
    return stack.sandbox.counters()["requests"]


def assert_refused_quietly(stack, text, secret, *needles):
    """The refusal says what is wrong and what to do, and never echoes the secret."""
    for needle in needles:
        assert needle in text, text
    assert "wpectl login" in text, text
    assert secret not in text and "X-Injected" not in text and "wpecanary" not in text, text


# --- login --------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix,problem", [(SMUGGLE, "line break"), ("\0X-Injected", "NUL")],
                         ids=["crlf", "nul"])
def test_api_key_that_could_inject_a_header_is_refused_and_nothing_is_sent(stack, suffix,
                                                                            problem):
    secret = stack.info["api_key"] + suffix
    stack.sandbox.reset_counters()
    r = stack.ctl("login", "--profile", "default", "--api-key", input=secret)
    assert r.returncode != 0
    assert_refused_quietly(stack, r.stderr, secret, "API key", problem)
    # The daemon refuses it too when a client skips wpectl's own check.
    status, _, body = stack.request_json("POST", "/v1/profiles/default/login",
                                         json.dumps({"method": "api_key", "api_key": secret}))
    assert status == 400, body
    assert_refused_quietly(stack, body["error"]["message"], secret, "API key", problem)

    assert sandbox_requests(stack) == 0
    assert keyring_items(stack, "default") == ""
    assert stack.profile_status("default")["state"] == "logged_out"
    assert stack.canary_hits() == []


def test_basic_password_with_crlf_and_user_id_with_colon_are_refused(stack):
    password = stack.info["password"] + SMUGGLE
    user = stack.info["user"]
    stack.sandbox.reset_counters()
    r = stack.ctl("login", "--profile", "basic", "--basic", "--user", user, input=password)
    assert r.returncode != 0
    assert_refused_quietly(stack, r.stderr, password, "password", "line break")
    status, _, body = stack.request_json(
        "POST", "/v1/profiles/basic/login",
        json.dumps({"method": "basic", "user": user, "password": password}))
    assert status == 400, body
    assert_refused_quietly(stack, body["error"]["message"], password, "password", "line break")

    # A ':' in the user id would move the rest of it into the password (RFC 7617).
    good = stack.info["password"]
    r = stack.ctl("login", "--profile", "basic", "--basic", "--user", "api:" + user, input=good)
    assert r.returncode != 0
    assert_refused_quietly(stack, r.stderr, good, "user id", "':'")
    status, _, body = stack.request_json(
        "POST", "/v1/profiles/basic/login",
        json.dumps({"method": "basic", "user": "api:" + user, "password": good}))
    assert status == 400, body
    assert_refused_quietly(stack, body["error"]["message"], good, "user id", "':'")

    assert sandbox_requests(stack) == 0
    assert keyring_items(stack, "basic") == ""
    assert stack.canary_hits() == []


def test_client_secret_with_crlf_is_refused_before_a_login_starts(stack):
    secret = stack.info["client_secret"] + SMUGGLE
    r = stack.ctl("login", "--profile", "confidential", "--oauth", "--client-secret-stdin",
                  "--no-browser", input=secret, timeout=30)
    assert r.returncode != 0
    assert_refused_quietly(stack, r.stderr, secret, "client secret", "line break")
    status, _, body = stack.request_json(
        "POST", "/v1/profiles/confidential/login",
        json.dumps({"method": "oauth", "client_secret": secret}))
    assert status == 400, body
    assert_refused_quietly(stack, body["error"]["message"], secret, "client secret", "line break")
    assert keyring_items(stack, "confidential") == ""
    assert stack.canary_hits() == []


# --- token endpoint answers ---------------------------------------------------------------

def hostile_token_body(stack, field):
    body = {"access_token": "wpecanary-at-good", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "wpecanary-rt-good", "scope": "sites:read"}
    body[field] = "wpecanary-xx-hidden" + SMUGGLE
    return json.dumps(body)


@pytest.mark.parametrize("field", ["access_token", "refresh_token"])
def test_token_with_crlf_from_a_refresh_is_refused_and_the_old_grant_kept(stack, field):
    oauth_login(stack)
    before = stored_grant(stack)
    old_header = stack.ctl("token", "--profile", "oauth", "--header")
    assert old_header.returncode == 0, old_header.stderr

    stack.sandbox.fault(path="/oauth/token", grant_type="refresh_token", status=200,
                        body=hostile_token_body(stack, field))
    status, _, body = token(stack, min_valid=7200)  # more than the token has left: refresh
    assert stack.sandbox.counters()["by_path"]["POST /oauth/token"] == 2
    assert status != 200 or "hidden" not in json.dumps(body), body

    assert stored_grant(stack) == before
    assert "hidden" not in keyring_items(stack, "oauth")
    r = stack.ctl("token", "--profile", "oauth", "--header")
    assert "hidden" not in r.stdout + r.stderr and "X-Injected" not in r.stdout + r.stderr
    assert r.stdout.count("\n") <= 1 and "\r" not in r.stdout, r.stdout
    assert r.returncode == 0 and r.stdout == old_header.stdout, r.stderr
    log = stack.daemon.log_text()
    assert field in log and "line break" in log
    assert "X-Injected" not in log
    assert stack.canary_hits() == []


@pytest.mark.parametrize("field", ["access_token", "refresh_token"])
def test_token_with_crlf_from_the_code_exchange_fails_the_login_and_stores_nothing(stack,
                                                                                   field):
    stack.sandbox.fault(path="/oauth/token", grant_type="authorization_code", status=200,
                        body=hostile_token_body(stack, field))
    started = begin_login(stack)
    visit(redirect_of(stack, started["authorize_url"]))
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "failed", done
    message = done["error"]["message"]
    assert field in message and "line break" in message, message
    assert "hidden" not in message and "X-Injected" not in message
    assert keyring_items(stack, "oauth") == ""
    r = stack.ctl("token", "--profile", "oauth", "--header")
    assert r.returncode != 0 and "hidden" not in r.stdout + r.stderr
    assert stack.canary_hits() == []


# --- wpectl holding a secret --------------------------------------------------------------

def proc_owner(pid, name):
    return os.stat(f"/proc/{pid}/{name}").st_uid


def test_wpectl_is_not_dumpable_while_it_waits_for_a_secret(stack, tmp_path):
    # A non-dumpable process's /proc/PID files belong to root; a dumpable one's to its own
    # uid. Run as nobody (the tests run as root) so the difference shows.
    nobody = 65534
    os.chmod(tmp_path, 0o755)
    r = subprocess.Popen(
        ["setpriv", f"--reuid={nobody}", f"--regid={nobody}", "--clear-groups", WPECTL,
         "--socket", str(tmp_path / "no-such.sock"), "login", "--profile", "default", "--api-key",
         "--replace"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    try:
        # setpriv execs wpectl in the same process: wait until it is wpectl that runs.
        wait_for(lambda: os.readlink(f"/proc/{r.pid}/exe") == os.path.realpath(WPECTL),
                 timeout=10, what="wpectl running")
        r.stdin.write(stack.info["api_key"][:8].encode())  # half a secret, no end yet
        r.stdin.flush()
        # wpectl makes itself undumpable before it reads the secret; an ASan build on a busy
        # machine takes a while to get there.
        wait_for(lambda: r.poll() is not None or proc_owner(r.pid, "environ") == 0,
                 timeout=10, what="wpectl undumpable")
        assert r.poll() is None, r.stderr.read()
        assert proc_owner(r.pid, "environ") == 0
        assert proc_owner(r.pid, "mem") == 0
    finally:
        r.stdin.close()
        r.wait(timeout=20)
        r.stdout.close()
        r.stderr.close()


# --- http://localhost ---------------------------------------------------------------------

class TokenForwarder(http.server.ThreadingHTTPServer):
    """A plain http:// token endpoint on loopback that passes each POST to the sandbox's
    HTTPS one (the sandbox serves TLS only)."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.posts = 0
        super().__init__(("127.0.0.1", 0), TokenForwarderHandler)


class TokenForwarderHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("authorization", "content-type", "accept")}
        status, _, data = self.server.sandbox.request("POST", self.path, body=body,
                                                      headers=headers)
        self.server.posts += 1
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_http_localhost_token_url_is_accepted_by_the_config_and_by_the_oauth_client(stack):
    forwarder = TokenForwarder(stack.sandbox)
    thread = threading.Thread(target=forwarder.serve_forever, daemon=True)
    thread.start()
    try:
        port = forwarder.server_address[1]
        # Not loopback by the rule: the reload fails naming the file, profile, key and value.
        config = dict(stack.config)
        config["profile.oauth"] = {**config["profile.oauth"],
                                   "token_url": f"http://localhost.example:{port}/oauth/token"}
        stack.daemon.write_config(config)
        r = stack.ctl("reload")
        assert r.returncode != 0
        assert f"[profile.oauth] token_url = " in r.stderr, r.stderr
        assert "localhost" in r.stderr and "https://" in r.stderr, r.stderr

        config["profile.oauth"]["token_url"] = f"http://localhost:{port}/oauth/token"
        stack.daemon.write_config(config)
        r = stack.ctl("reload")
        assert r.returncode == 0, r.stderr

        oauth_login(stack)  # the code exchange goes to http://localhost
        assert forwarder.posts == 1
        status, _, data = token(stack)
        assert status == 200, data
        assert stack.sandbox.token_active(data["access_token"])
    finally:
        forwarder.shutdown()
        forwarder.server_close()
