"""No ca_file and no system CA certificates (a fresh Debian without the ca-certificates
package): the TLS failure must say what to do — install ca-certificates, or set ca_file — and
wped warns about it once at start. The system store is pointed away with OpenSSL's own
SSL_CERT_FILE / SSL_CERT_DIR, which wped honours like every OpenSSL program."""

import os

from test_ca_file_reload import another_ca

ADVICE = "install the ca-certificates package: sudo apt install ca-certificates"


def no_system_store(stack):
    empty = os.path.join(stack.root, "empty-certs")
    os.makedirs(empty, exist_ok=True)
    return {"SSL_CERT_FILE": os.path.join(stack.root, "missing", "ca-certificates.crt"),
            "SSL_CERT_DIR": empty}


def without_ca_file(stack):
    del stack.config["profile.default"]["ca_file"]
    stack.daemon.write_config(stack.config)


def test_no_ca_file_and_no_system_store_says_install_ca_certificates(make_stack):
    stack = make_stack(start=False)
    env = no_system_store(stack)
    stack.daemon.start(env=env)
    r = stack.ctl("login", "--profile", "default", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode == 0, r.stderr  # with its ca_file the profile works

    without_ca_file(stack)
    assert stack.ctl("reload").returncode == 0
    r = stack.ctl("sites", "--refresh", timeout=120)
    assert r.returncode != 0, r.stdout
    assert "no system CA certificates" in r.stderr, r.stderr
    assert ADVICE in r.stderr and "or set ca_file for profile default" in r.stderr, r.stderr
    assert "wpecanary" not in r.stderr

    # At start, once: the profile without ca_file cannot reach its API.
    stack.daemon.stop()
    stack.daemon.start(env={**env, **stack.daemon.journal_stream_env()})  # priorities shown
    r = stack.ctl("sites", "--refresh", timeout=120)
    assert ADVICE in r.stderr, r.stderr
    # The start warning (the first start had ca_file set: none then), not the sync failures.
    warnings = [line for line in stack.daemon.log_text().splitlines()
                if ADVICE in line and "requests of these profiles fail" in line]
    assert len(warnings) == 1 and warnings[0].startswith("<4>"), warnings
    assert "profile default" in warnings[0], warnings
    assert stack.canary_hits() == []


def test_a_login_without_ca_file_and_system_store_names_ca_certificates(make_stack):
    stack = make_stack(start=False)
    without_ca_file(stack)
    stack.daemon.start(env=no_system_store(stack))
    r = stack.ctl("login", "--profile", "default", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode != 0, r.stdout
    assert ADVICE in r.stderr and "ca_file for profile default" in r.stderr, r.stderr


def test_with_a_system_store_the_advice_is_ca_file_only(make_stack, tmp_path):
    """The sandbox's private CA is in no system store: the failure says to set ca_file and
    does not blame a missing ca-certificates package."""
    stack = make_stack(start=False)
    without_ca_file(stack)
    store = tmp_path / "store.pem"  # a system store with a CA in it, just not the sandbox's
    store.write_bytes(another_ca(tmp_path / "other"))
    stack.daemon.start(env={"SSL_CERT_FILE": str(store), "SSL_CERT_DIR": str(tmp_path)})
    r = stack.ctl("login", "--profile", "default", "--api-key", input=stack.info["api_key"] + "\n")
    assert r.returncode != 0, r.stdout
    assert "set ca_file" in r.stderr, r.stderr
    assert "ca-certificates" not in r.stderr, r.stderr
    assert "ca-certificates" not in stack.daemon.log_text()
