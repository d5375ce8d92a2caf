"""Headless OAuth login (`wpectl login --oauth --no-browser`): the browser runs elsewhere and
cannot reach wped's loopback listener, so the user pastes the address it ended on.
The "browser" here only authorizes at the sandbox and captures the 302 Location — it never
visits it — and that address is typed into the real wpectl's stdin."""

import json
import subprocess
import urllib.parse

from harness import WPECTL
from oauth_browser import query_param, visit, with_query
from oauth_flow import connect_refused, redirect_of, token_requests

PROMPT = "paste its address here"


class HeadlessLogin:
    """A running `wpectl login --oauth --no-browser` with a pipe for what the user types."""

    def __init__(self, stack, *extra):
        env = stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path)
        self.proc = subprocess.Popen(
            [WPECTL, "--profile", "oauth", *extra, "login", "--oauth", "--no-browser"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.shown = []
        self.authorize_url = None
        for line in self.proc.stderr:
            self.shown.append(line)
            if line.strip().startswith("https://"):
                self.authorize_url = line.strip()
                break
        assert self.authorize_url, "".join(self.shown)

    def type(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def next_message(self):
        """The next complete line wpectl writes on stderr (prompts end without one)."""
        line = self.proc.stderr.readline()
        self.shown.append(line)
        return line

    def finish(self, timeout=30):
        out, err = self.proc.communicate(timeout=timeout)
        self.shown.append(err)
        return self.proc.returncode, out, "".join(self.shown)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def test_pasted_address_completes_the_login(stack):
    login = HeadlessLogin(stack)
    try:
        assert PROMPT in login.proc.stderr.read(len("When it ends on a page that cannot load, "
                                                    "paste its address here: "))
        location = redirect_of(stack, login.authorize_url)  # the browser's last address
        login.type(location)
        code, out, err = login.finish()
    finally:
        login.kill()
    assert code == 0, err
    assert "Logged in to profile oauth" in out
    assert stack.ctl("--profile", "oauth", "status").returncode == 0
    r = stack.ctl("--profile", "oauth", "token")
    assert r.returncode == 0 and stack.sandbox.token_active(r.stdout.strip()), r.stderr
    assert connect_refused(urllib.parse.urlsplit(location).port), "listener left open"
    # The pasted address (and its code) is nowhere but on the way to the token endpoint.
    auth_code = query_param(location, "code")
    assert auth_code not in err and auth_code not in out
    assert auth_code not in stack.daemon.log_text()
    assert stack.canary_hits() == []


def test_malformed_then_wrong_state_then_right_address(stack):
    login = HeadlessLogin(stack)
    try:
        location = redirect_of(stack, login.authorize_url)
        login.type("this is not an address")
        message = login.next_message()
        assert "not this login's callback address" in message, message
        port = urllib.parse.urlsplit(location).port
        assert f"http://127.0.0.1:{port}/callback?" in message

        login.type(with_query(location, state="not-the-state"))
        message = login.next_message()
        assert "does not belong to this login" in message, message
        assert login.proc.poll() is None, "the login must stay pending after a wrong paste"
        assert token_requests(stack) == 0, "a wrong state must not reach the token endpoint"

        login.type(location)
        code, out, err = login.finish()
    finally:
        login.kill()
    assert code == 0, err
    assert "Logged in to profile oauth" in out
    assert "Paste the address again" in err
    assert query_param(location, "code") not in err
    assert stack.canary_hits() == []


def test_listener_wins_when_visited_first_and_a_later_paste_is_refused(stack):
    login = HeadlessLogin(stack, "--json")
    try:
        location = redirect_of(stack, login.authorize_url)
        status, page = visit(location)  # the browser could reach the listener after all
        assert status == 200 and "Login complete" in page
        code, out, err = login.finish()
    finally:
        login.kill()
    assert code == 0, err
    done = json.loads(out)
    assert done["state"] == "succeeded", done
    assert token_requests(stack) == 1

    status, _, data = stack.request_json("POST", f"/v1/logins/{done['login_id']}/callback",
                                         json.dumps({"url": location}))
    assert status == 409, data
    assert "already completed" in data["error"]["message"]
    assert token_requests(stack) == 1, "a replayed code must never be sent again"
