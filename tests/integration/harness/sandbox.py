"""Drives a real wpe-sandbox process for the integration tests (stdlib only).

    with Sandbox().start(tmp_dir, sites=2500) as sb:
        status, headers, body = sb.get("/v1/sites", sb.api_key_header())
        sb.fault(path="/v1/sites", status=503, retry_after="2")

start() spawns harness.SANDBOX and waits for DIR/sandbox.json (the ready signal). The keys of
sandbox.json are in `info` and readable as attributes (sb.api_url, sb.client_id, ...).
The sandbox's own log goes to DIR/sandbox.log."""

import base64
import hashlib
import http.client
import json
import os
import secrets
import signal
import ssl
import subprocess
import urllib.parse

from . import SANDBOX, wait_for

READY_FILE = "sandbox.json"


def pkce_pair():
    """(verifier, S256 challenge) per RFC 7636."""
    verifier = secrets.token_urlsafe(48)[:64]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Sandbox:
    def __init__(self):
        self.proc = None
        self.info = None
        self.state_dir = None
        self.origin = None
        self._log = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, state_dir, sites=25, token_ttl=None, latency_ms=None, oauth_path_style=None,
              oauth_query=None, timeout=30.0):
        self.state_dir = str(state_dir)
        os.makedirs(self.state_dir, mode=0o700, exist_ok=True)
        ready = os.path.join(self.state_dir, READY_FILE)
        if os.path.exists(ready):
            os.unlink(ready)  # a stale file from an earlier run is not a ready signal
        args = [SANDBOX, "--state-dir", self.state_dir, "--sites", str(sites)]
        if token_ttl is not None:
            args += ["--token-ttl", str(token_ttl)]
        if latency_ms is not None:
            args += ["--latency-ms", str(latency_ms)]
        if oauth_path_style is not None:
            args += ["--oauth-path-style", oauth_path_style]
        if oauth_query is not None:
            args += ["--oauth-query", oauth_query]
        self._log = open(os.path.join(self.state_dir, "sandbox.log"), "ab")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        wait_for(lambda: os.path.exists(ready) or self.proc.poll() is not None,
                 timeout=timeout, what="wpe-sandbox's sandbox.json")
        if self.proc.poll() is not None:
            raise RuntimeError(f"wpe-sandbox exited with {self.proc.returncode}; see {self.log_path}")
        with open(ready) as f:
            self.info = json.load(f)
        parsed = urllib.parse.urlsplit(self.info["api_url"])
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        return self

    def stop(self, timeout=10.0):
        """SIGTERM and wait; returns the exit code (kills after `timeout`)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def log_path(self):
        return os.path.join(self.state_dir, "sandbox.log")

    def __getattr__(self, name):
        info = self.__dict__.get("info")
        if info is not None and name in info:
            return info[name]
        raise AttributeError(name)

    # -- HTTP --------------------------------------------------------------------------------
    def ssl_context(self):
        return ssl.create_default_context(cafile=self.info["ca_file"])

    def connection(self, timeout=30.0):
        parsed = urllib.parse.urlsplit(self.origin)
        return http.client.HTTPSConnection(parsed.hostname, parsed.port, timeout=timeout,
                                           context=self.ssl_context())

    def request(self, method, url, body=None, headers=None):
        """One request on a fresh connection. `url` is absolute or a path on the sandbox.
        Returns (status, headers with lower-case names, body bytes). Connection errors (a
        dropped connection) propagate."""
        if url.startswith("https://"):
            parsed = urllib.parse.urlsplit(url)
            url = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json", **(headers or {})}
        conn = self.connection()
        try:
            conn.request(method, url, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def get(self, path, auth_header=None):
        """GET → (status, headers, parsed JSON or None)."""
        headers = {"Authorization": auth_header} if auth_header else {}
        status, response_headers, data = self.request("GET", path, headers=headers)
        return status, response_headers, _json_or_none(data)

    def api_key_header(self):
        return f"ApiKey {self.info['api_key']}"

    def basic_header(self, user=None, password=None):
        raw = f"{user or self.info['user']}:{password or self.info['password']}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    # -- controls ----------------------------------------------------------------------------
    def control(self, method, path, body=None):
        """A /_sandbox/ control call (path like "/faults"); returns the JSON answer and raises
        AssertionError on a non-2xx status."""
        headers = {"Authorization": f"Bearer {self.info['control_token']}"}
        data = None if body is None else json.dumps(body)
        if data is not None:
            headers["Content-Type"] = "application/json"
        status, _, raw = self.request(method, "/_sandbox" + path, body=data, headers=headers)
        assert 200 <= status < 300, f"control {method} {path} → {status} {raw[:200]!r}"
        return _json_or_none(raw)

    def counters(self):
        return self.control("GET", "/counters")

    def reset_counters(self):
        return self.control("POST", "/counters/reset")

    def fault(self, **kw):
        """Queues a fault: fault(path="/v1/sites", status=503, retry_after="2", count=1, ...)."""
        return self.control("POST", "/faults", kw)

    def clear_faults(self):
        return self.control("DELETE", "/faults")

    def token_active(self, token):
        return self.control("POST", "/token-info", {"token": token})["active"]

    # -- OAuth helpers -----------------------------------------------------------------------
    def authorize(self, client_id=None, redirect_uri="http://127.0.0.1:8123/callback",
                  challenge=None, state="st-123", method="S256", scope="sites:read"):
        """GET /oauth/authorize; returns (status, Location or None, body)."""
        params = {"client_id": client_id or self.info["client_id"], "response_type": "code",
                  "redirect_uri": redirect_uri, "code_challenge_method": method,
                  "state": state, "scope": scope}
        if challenge is not None:
            params["code_challenge"] = challenge
        status, headers, body = self.request(
            "GET", self.endpoint_target("authorize_url", urllib.parse.urlencode(params)))
        return status, headers.get("location"), body

    def token_request(self, form, basic=None):
        """POST to the token endpoint (form dict); basic=(id, secret) adds RFC 6749 §2.3.1
        Basic auth. Returns (status, headers, JSON or None)."""
        return self._form_post(self.endpoint_target("token_url"), form, basic)

    def revoke(self, form, basic=None):
        return self._form_post(self.endpoint_target("revoke_url"), form, basic)

    def endpoint_target(self, key, query=""):
        """Path and query of the published OAuth endpoint `key` (e.g. "token_url"), with
        `query` appended to the endpoint's own query by '&' (RFC 6749 §3.1)."""
        url = urllib.parse.urlsplit(self.info[key])
        own = url.query
        joined = "&".join(q for q in (own, query) if q)
        return url.path + ("?" + joined if joined else "")

    def login(self, confidential=False, redirect_uri="http://127.0.0.1:8123/callback"):
        """The whole authorization-code + PKCE dance; returns the token response JSON."""
        verifier, challenge = pkce_pair()
        client_id = self.info["confidential_client_id" if confidential else "client_id"]
        status, location, _ = self.authorize(client_id, redirect_uri, challenge)
        assert status == 302, status
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": verifier, "client_id": client_id}
        if confidential:
            form["client_secret"] = self.info["client_secret"]
        status, _, body = self.token_request(form)
        assert status == 200, body
        return body

    def _form_post(self, path, form, basic):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if basic:
            user, password = (urllib.parse.quote_plus(part) for part in basic)
            headers["Authorization"] = "Basic " + base64.b64encode(
                f"{user}:{password}".encode()).decode("ascii")
        status, response_headers, data = self.request(
            "POST", path, body=urllib.parse.urlencode(form), headers=headers)
        return status, response_headers, _json_or_none(data)


def _json_or_none(data):
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None
