"""Profiles chosen by context: --profile, then WPE_PROFILE, then the nearest .wpe-profile
(working directory or a parent), then `default`; every wpectl command resolves the same way;
`wpectl status` says which profile is active, which rule chose it, and whose account each
logged-in profile holds (GET /user, fetched by wped at login and after a restart)."""

import json
import os
import subprocess

from harness import wait_for
from harness import WPECTL
from oauth_flow import oauth_login


def context_stack(make_stack):
    stack = make_stack(start=False)
    common = {"api_url": stack.info["api_url"], "ca_file": stack.info["ca_file"],
              "auth": "api_key"}
    stack.config["profile.acme"] = dict(common)
    stack.config["profile.globex"] = dict(common)
    stack.daemon.write_config(stack.config)
    stack.daemon.start()
    return stack


def ctl_in(stack, cwd, *args, env=None, input=None):
    """wpectl run from `cwd`, with no WPE_PROFILE unless `env` sets it."""
    full = stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path, WPE_PROFILE=None)
    full.update(env or {})
    return subprocess.run([WPECTL, *args], cwd=cwd, env=full, input=input,
                          capture_output=True, text=True, timeout=30)


def active(stack, cwd, *args, env=None):
    r = ctl_in(stack, cwd, *args, "status", "--json", env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    return doc["active_profile"], doc["active_profile_source"]


def clients_tree(root):
    """root/clients/{acme,globex}/.wpe-profile and a deep folder under acme."""
    clients = os.path.join(root, "clients")
    deep = os.path.join(clients, "acme", "wp-content", "themes", "child")
    os.makedirs(deep)
    os.makedirs(os.path.join(clients, "globex"))
    with open(os.path.join(clients, "acme", ".wpe-profile"), "w") as f:
        f.write("# Acme Corp, account manager Jo\n\n   acme  \n")
    with open(os.path.join(clients, "globex", ".wpe-profile"), "w") as f:
        f.write("globex")
    return clients, deep


def user_of(stack):
    status, _, body = stack.sandbox.get("/v1/user", stack.sandbox.api_key_header())
    assert status == 200
    return body


def test_nearest_wpe_profile_file_chooses_the_profile(make_stack, tmp_path):
    stack = context_stack(make_stack)
    clients, deep = clients_tree(str(tmp_path))
    acme_file = os.path.join(clients, "acme", ".wpe-profile")
    assert active(stack, deep) == ("acme", acme_file)
    assert active(stack, os.path.join(clients, "acme")) == ("acme", acme_file)
    assert active(stack, os.path.join(clients, "globex")) == (
        "globex", os.path.join(clients, "globex", ".wpe-profile"))
    assert active(stack, clients) == ("default", "default")

    # Every command resolves the same way: a login from the acme folder logs in acme only.
    r = ctl_in(stack, deep, "login", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode == 0, r.stderr
    states = {p["name"]: p["state"] for p in stack.status()["profiles"]}
    assert states["acme"] == "ready"
    assert states["default"] == states["globex"] == "logged_out"
    r = ctl_in(stack, deep, "token")
    assert r.returncode == 0 and stack.info["api_key"] in r.stdout, r.stderr
    r = ctl_in(stack, os.path.join(clients, "globex"), "token")
    assert r.returncode == 4, (r.returncode, r.stderr)
    assert "globex" in r.stderr


def test_flag_then_environment_then_file(make_stack, tmp_path):
    stack = context_stack(make_stack)
    _, deep = clients_tree(str(tmp_path))
    assert active(stack, deep, env={"WPE_PROFILE": "globex"}) == ("globex", "WPE_PROFILE")
    assert active(stack, deep, "--profile", "default",
                  env={"WPE_PROFILE": "globex"}) == ("default", "--profile")
    assert active(stack, deep, "--profile=globex") == ("globex", "--profile")


def test_invalid_file_is_a_clear_error_naming_it(make_stack, tmp_path):
    stack = context_stack(make_stack)
    folder = tmp_path / "client"
    (folder / "sub").mkdir(parents=True)
    bad = folder / ".wpe-profile"
    for text, words in (("acme corp\n", "invalid profile name"),
                        ("acme\nglobex\n", "more than one profile"),
                        ("# just a comment\n\n", "names no profile")):
        bad.write_text(text)
        r = ctl_in(stack, str(folder / "sub"), "status")
        assert r.returncode == 2, (text, r.returncode, r.stdout)
        assert str(bad) in r.stderr and words in r.stderr, r.stderr
        assert "--profile" in r.stderr  # what to do next
        assert r.stdout == ""
        # The flag or the environment still work from there: the file is not consulted.
        assert active(stack, str(folder / "sub"), "--profile", "acme") == ("acme", "--profile")
    # Generating the completion scripts needs no profile: it works from there too.
    r = ctl_in(stack, str(folder / "sub"), "completion", "bash")
    assert r.returncode == 0 and "wpectl" in r.stdout, r.stderr


def test_status_names_the_active_profile_and_the_accounts(make_stack, tmp_path):
    stack = context_stack(make_stack)
    _, deep = clients_tree(str(tmp_path))
    user = user_of(stack)
    name = f"{user['first_name']} {user['last_name']}"

    r = ctl_in(stack, deep, "login", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode == 0, r.stderr
    facts = stack.profile_status("acme")
    assert facts["account_email"] == user["email"]
    assert facts["account_name"] == name
    assert "account_email" not in stack.profile_status("globex")

    r = ctl_in(stack, deep, "status")
    assert r.returncode == 0, r.stderr
    acme_file = os.path.join(str(tmp_path), "clients", "acme", ".wpe-profile")
    assert f"active profile:   acme (from {acme_file})" in r.stdout, r.stdout
    section = r.stdout.split("  acme (api_key): ready")[1].split("\n  globex")[0]
    assert f"account:    {name} <{user['email']}>" in section, r.stdout
    r = ctl_in(stack, str(tmp_path), "status")
    assert "active profile:   default (the default)" in r.stdout, r.stdout
    r = ctl_in(stack, str(tmp_path), "--profile", "nope", "status")
    assert "active profile:   nope (from --profile) - not in wped's config" in r.stdout

    # After a restart wped reads the key from the keyring and asks GET /user again.
    stack.daemon.stop()
    stack.sandbox.reset_counters()
    stack.daemon.start()
    wait_for(lambda: stack.profile_status("acme").get("account_email") == user["email"],
             timeout=20, what="the account after a restart")
    assert stack.profile_status("acme")["account_name"] == name
    assert stack.sandbox.counters()["by_path"].get("GET /v1/user", 0) >= 1

    # Logging out forgets whose it was.
    r = ctl_in(stack, deep, "logout")
    assert r.returncode == 0, r.stderr
    assert "account_email" not in stack.profile_status("acme")


def test_status_names_the_account_of_an_oauth_login(stack):
    # An OAuth login brings no /user answer with it: wped asks the API once it is ready.
    user = user_of(stack)
    oauth_login(stack, "oauth")
    wait_for(lambda: stack.profile_status("oauth").get("account_email") == user["email"],
             timeout=20, what="the account of the OAuth login")
    assert stack.profile_status("oauth")["account_name"] == (
        f"{user['first_name']} {user['last_name']}")
