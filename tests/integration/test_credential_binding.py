"""A stored credential is bound to where it may be sent (issue 7 item 8): an API key or Basic
password to the API origin it was checked against, an OAuth grant to its token endpoint and
client id (and API origin). Pointing a profile at another host refuses the credential with a
message naming both hosts; nothing reaches the new host; the item stays until a new login.

Sandbox A is the stack's own; sandbox B is a second, independent wpe-sandbox (its own port and
CA), standing in for "another host"."""

import json
import os
import subprocess

from harness import wait_for
from harness.sandbox import Sandbox
from oauth_flow import oauth_login

EXIT_LOGIN_REQUIRED = 4


def start_b(stack):
    b = Sandbox().start(os.path.join(stack.root, "sandbox-b"))
    stack.extra_sandboxes = getattr(stack, "extra_sandboxes", []) + [b]
    return b


def point_at(stack, profile, **keys):
    stack.config[f"profile.{profile}"].update(keys)
    stack.daemon.write_config(stack.config)


def api_requests(sandbox):
    """Requests the sandbox served outside its own /_sandbox control paths."""
    by_path = sandbox.counters()["by_path"]
    return {k: v for k, v in by_path.items() if "/_sandbox" not in k}


def keyring_search(stack, profile):
    """`secret-tool search --all profile P`: item paths on stdout, attributes on stderr."""
    r = subprocess.run(["secret-tool", "search", "--all", "profile", profile],
                       env=stack.keyring.full_env(), capture_output=True, text=True, timeout=20)
    return r.stdout + r.stderr


def origins(stack, profile):
    """The `origin` attribute of each of the profile's keyring items."""
    return [line.split(" = ", 1)[1] for line in keyring_search(stack, profile).splitlines()
            if line.startswith("attribute.origin = ")]


def reload(stack):
    r = stack.ctl("reload")
    assert r.returncode == 0, r.stderr


def assert_refused(r, old, new, secret):
    assert r.returncode == EXIT_LOGIN_REQUIRED, (r.returncode, r.stdout, r.stderr)
    text = r.stdout + r.stderr
    assert old in text and new in text, text
    assert "wpectl login" in text, text
    assert secret not in text


def test_api_key_is_not_sent_to_a_new_api_url_after_reload(make_stack):
    stack = make_stack()
    b = start_b(stack)
    try:
        stack.login_api_key()
        key = stack.info["api_key"]
        a_origin = stack.sandbox.origin
        point_at(stack, "default", api_url=b.info["api_url"], ca_file=b.info["ca_file"])
        reload(stack)

        for args in (("sites", "--refresh"), ("api", "/user"), ("token",)):
            assert_refused(stack.ctl(*args), a_origin, b.origin, key)
        st = stack.profile_status("default")
        assert st["state"] == "login_required", st
        assert a_origin in st["detail"] and b.origin in st["detail"], st
        assert api_requests(b) == {}, "the key's new host received requests"

        # The old item was not deleted: back on A it works again without a login.
        point_at(stack, "default", api_url=stack.info["api_url"], ca_file=stack.info["ca_file"])
        reload(stack)
        r = stack.ctl("token")
        assert r.returncode == 0, r.stderr
        assert key in r.stdout
        assert key not in stack.daemon.log_text()
    finally:
        b.stop()


def test_basic_credential_refused_after_restart_on_a_new_host(make_stack):
    stack = make_stack()
    b = start_b(stack)
    try:
        r = stack.ctl("login", "--profile", "basic", "--basic", "--user", stack.info["user"],
                      input=stack.info["password"] + "\n")
        assert r.returncode == 0, r.stderr
        stack.daemon.stop()
        point_at(stack, "basic", api_url=b.info["api_url"], ca_file=b.info["ca_file"])
        stack.daemon.start()

        assert_refused(stack.ctl("token", "--profile", "basic"), stack.sandbox.origin, b.origin,
                       stack.info["password"])
        assert_refused(stack.ctl("sites", "--refresh", "--profile", "basic"),
                       stack.sandbox.origin, b.origin, stack.info["password"])
        assert api_requests(b) == {}

        # A new login replaces the item, bound to the new host.
        r = stack.ctl("login", "--profile", "basic", "--basic", "--user", b.info["user"],
                      input=b.info["password"] + "\n")
        assert r.returncode == 0, r.stderr
        r = stack.ctl("token", "--profile", "basic")
        assert r.returncode == 0, r.stderr
        assert origins(stack, "basic") == [b.origin]
    finally:
        b.stop()


def test_an_old_item_without_binding_is_bound_once_to_the_configured_host(make_stack):
    stack = make_stack(start=False)
    key = stack.info["api_key"]
    # An item exactly as the code before the binding stored it: profile and kind only.
    subprocess.run(["secret-tool", "store", "--label", "wped: WP Engine credential (profile default)",
                    "xdg:schema", "com.wpengine.wped.Credential", "profile", "default",
                    "kind", "api_key"],
                   input=key, env=stack.keyring.full_env(), check=True, text=True, timeout=20)
    stack.daemon.start()

    r = stack.ctl("token")
    assert r.returncode == 0, r.stderr
    assert key in r.stdout
    line = f"bound the stored api_key credential of profile default to {stack.sandbox.origin}"
    wait_for(lambda: line in stack.daemon.log_text(), what="the migration log line")
    items = keyring_search(stack, "default")
    assert origins(stack, "default") == [stack.sandbox.origin], items
    assert items.count("[/") == 1, items  # rewritten: one item, not two

    # Once: a restart finds it bound and says nothing more.
    stack.daemon.stop()
    stack.daemon.start()
    assert stack.ctl("token").returncode == 0
    assert stack.daemon.log_text().count(line) == 1
    assert key not in stack.daemon.log_text()

    # Bound to the host configured at migration time: another host is refused.
    b = start_b(stack)
    try:
        point_at(stack, "default", api_url=b.info["api_url"], ca_file=b.info["ca_file"])
        reload(stack)
        assert_refused(stack.ctl("api", "/user"), stack.sandbox.origin, b.origin, key)
        assert api_requests(b) == {}
    finally:
        b.stop()


def test_oauth_grant_is_refused_when_the_token_endpoint_changes(make_stack):
    stack = make_stack()
    b = start_b(stack)
    try:
        oauth_login(stack)
        assert stack.ctl("token", "--profile", "oauth").returncode == 0
        old = stack.info["token_url"]
        point_at(stack, "oauth", token_url=b.info["token_url"])
        reload(stack)

        r = stack.ctl("token", "--profile", "oauth")
        assert r.returncode == EXIT_LOGIN_REQUIRED, (r.returncode, r.stdout, r.stderr)
        assert old in r.stderr and b.info["token_url"] in r.stderr, r.stderr
        assert "wpectl login" in r.stderr
        r = stack.ctl("sites", "--refresh", "--profile", "oauth")
        assert r.returncode == EXIT_LOGIN_REQUIRED, (r.returncode, r.stdout, r.stderr)
        st = stack.profile_status("oauth")
        assert st["state"] == "login_required" and old in st["detail"], st
        assert api_requests(b) == {}
        assert "attribute.kind = oauth" in keyring_search(stack, "oauth")  # kept until a login
    finally:
        b.stop()


def test_oauth_grant_is_not_revoked_at_a_new_revocation_endpoint(make_stack):
    """Only revoke_url changes: the grant must not be accepted, and `wpectl logout` must not
    send its tokens to the new revocation host; status says why."""
    stack = make_stack()
    b = start_b(stack)
    try:
        oauth_login(stack)
        assert stack.ctl("token", "--profile", "oauth").returncode == 0
        old = stack.info["revoke_url"]
        new = b.info["revoke_url"]
        point_at(stack, "oauth", revoke_url=new)
        reload(stack)

        r = stack.ctl("token", "--profile", "oauth")
        assert r.returncode == EXIT_LOGIN_REQUIRED, (r.returncode, r.stdout, r.stderr)
        assert old in r.stderr and new in r.stderr and "wpectl login" in r.stderr, r.stderr
        st = stack.profile_status("oauth")
        assert st["state"] == "login_required", st
        assert old in st["detail"] and new in st["detail"], st
        text = stack.ctl("status").stdout
        assert new in text, text

        r = stack.ctl("logout", "--profile", "oauth")
        assert r.returncode == 0, r.stderr
        assert api_requests(b) == {}, "the new revocation host received the grant"
        assert stack.sandbox.counters()["revocations"] == 0
        assert stack.canary_hits() == []
    finally:
        b.stop()


def test_an_item_of_an_unknown_kind_asks_for_a_login_and_a_login_replaces_it(make_stack):
    stack = make_stack(start=False)
    canary = "canary-passkey-secret-0451"
    # An item another program (or a newer wped) wrote for the profile, of a kind not known here.
    subprocess.run(["secret-tool", "store", "--label", "wped: WP Engine credential (profile default)",
                    "xdg:schema", "com.wpengine.wped.Credential", "profile", "default",
                    "kind", "passkey", "origin", stack.sandbox.origin],
                   input=canary, env=stack.keyring.full_env(), check=True, text=True, timeout=20)
    stack.daemon.start()

    r = stack.ctl("token")
    assert r.returncode == EXIT_LOGIN_REQUIRED, (r.returncode, r.stderr)
    assert "unknown kind 'passkey'" in r.stderr and "wpectl login --profile default" in r.stderr
    status = stack.ctl_json("status")
    default = next(p for p in status["profiles"] if p["name"] == "default")
    assert "unknown kind 'passkey'" in json.dumps(default)
    assert canary not in r.stdout + r.stderr + stack.daemon.log_text() + json.dumps(status)

    # Nothing is lost that a login cannot give back: the login replaces the item.
    r = stack.ctl("login", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode == 0, r.stderr
    r = stack.ctl("token")
    assert r.returncode == 0, r.stderr
    assert stack.info["api_key"] in r.stdout
    items = keyring_search(stack, "default")
    assert items.count("[/") == 1 and "passkey" not in items, items
