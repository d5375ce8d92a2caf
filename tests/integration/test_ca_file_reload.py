"""`wpectl reload` re-reads the CA files: a ca_file replaced in place is trusted (or distrusted)
by the next request without a restart, and a failed verification names the file that was used
and what to do. The real wped against wpe-sandbox (its CA) and a second CA from another
sandbox run, driven through the real wpectl."""

import os

from harness.sandbox import Sandbox


def another_ca(state_dir):
    """The PEM of a CA that did not sign the stack's sandbox: every sandbox run makes its own
    throwaway CA, so a second, short run provides one."""
    with Sandbox().start(str(state_dir), sites=0) as other:
        with open(other.ca_file, "rb") as f:
            return f.read()


def overwrite(path, data):
    """Replaces the content of `path` in place (same inode), as `cp` onto it would."""
    inode = os.stat(path).st_ino
    with open(path, "wb") as f:
        f.write(data)
    assert os.stat(path).st_ino == inode


def stack_trusting(make_stack, pem=None):
    """A running stack whose profile default trusts only `pem` (default: the sandbox's own
    CA), kept in a file of its own."""
    stack = make_stack(start=False)
    ca = os.path.join(stack.root, "api-ca.pem")
    with open(ca, "wb") as f:
        f.write(sandbox_ca(stack) if pem is None else pem)
    stack.config["profile.default"]["ca_file"] = ca
    stack.daemon.write_config(stack.config)
    stack.daemon.start()
    return stack, ca


def sandbox_ca(stack):
    with open(stack.info["ca_file"], "rb") as f:
        return f.read()


def login(stack):
    return stack.ctl("login", "--profile", "default", "--api-key",
                     input=stack.info["api_key"] + "\n")


def refresh_sites(stack):
    return stack.ctl("sites", "--refresh", timeout=120)


def assert_names_the_ca_file(result, ca):
    assert result.returncode != 0, result.stdout
    message = result.stderr
    assert f"against the CA file {ca} (ca_file of profile default)" in message, message
    assert "wpectl reload" in message, message
    assert "set ca_file" not in message, message
    assert "wpecanary" not in message


def test_a_wrong_ca_file_fixed_in_place_works_after_reload_without_a_restart(make_stack,
                                                                             tmp_path):
    wrong = another_ca(tmp_path / "other-sandbox")
    stack, ca = stack_trusting(make_stack, wrong)
    pid = stack.daemon.proc.pid

    assert_names_the_ca_file(login(stack), ca)
    assert stack.profile_status()["state"] != "ready"

    overwrite(ca, sandbox_ca(stack))
    r = stack.ctl("reload")
    assert r.returncode == 0, r.stderr
    r = login(stack)
    assert r.returncode == 0, r.stderr
    r = refresh_sites(stack)
    assert r.returncode == 0, r.stderr
    assert len(stack.ctl_json("sites")["results"]) == 25
    assert stack.daemon.proc.pid == pid and stack.daemon.proc.poll() is None  # no restart
    assert stack.canary_hits() == []


def test_after_reload_no_connection_trusted_through_the_old_ca_file_is_reused(make_stack,
                                                                             tmp_path):
    wrong = another_ca(tmp_path / "other-sandbox")
    stack, ca = stack_trusting(make_stack)  # the right CA from the start
    r = login(stack)
    assert r.returncode == 0, r.stderr
    r = refresh_sites(stack)
    assert r.returncode == 0, r.stderr  # wped now holds kept-alive connections to the API
    # The login's sync of every list need not be over: when this refresh got in before it, it
    # runs only afterwards, and the refresh after the swap would join it and answer with what
    # it fetched through the old CA file.
    stack.wait_every_list_synced()

    # The operator swaps the file for another CA: after the reload nothing may still be
    # trusted through the old one, not even a connection that is already open.
    overwrite(ca, wrong)
    r = stack.ctl("reload")
    assert r.returncode == 0, r.stderr
    r = refresh_sites(stack)
    assert_names_the_ca_file(r, ca)
