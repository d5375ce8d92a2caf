"""The client examples in examples/ (Python, Node.js, PHP, shell), run as a user would run
them against the real wped and wpe-sandbox: each lists the cached sites, shows one and calls
the API through the passthrough without holding a secret, and turns wped's errors into one
readable line and a non-zero exit."""

import json
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

from conftest import Stack

EXAMPLES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")

# language → (the programs it needs, its command line). Missing programs FAIL the test:
# dev.sh installs them.
EXAMPLES = {
    "python": (["python3"], ["python3", "sites.py"]),
    "node": (["node"], ["node", "sites.js"]),
    "php": (["php"], ["php", "sites.php"]),
    "shell": (["bash", "curl", "jq"], ["bash", "sites.sh"]),
}
NOT_RUNNING = "wped is not running: systemctl --user start wped.socket"


def run_example(lang, stack, *args, env=None):
    """Runs one example with a user's minimal environment (HOME, PATH, XDG_RUNTIME_DIR of the
    stack's wped) and keeps its output under the stack's root for the canary scan."""
    needs, argv = EXAMPLES[lang]
    missing = [p for p in needs if shutil.which(p) is None]
    if missing:
        pytest.fail(f"{lang} example needs {', '.join(missing)}: run ./dev.sh deps")
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": stack.daemon.home,
                "XDG_RUNTIME_DIR": stack.daemon.runtime_dir}
    full_env.update(env or {})
    r = subprocess.run([*argv, *args], cwd=EXAMPLES_DIR, capture_output=True, text=True,
                       timeout=60, env={k: v for k, v in full_env.items() if v is not None})
    out_dir = os.path.join(stack.root, "example-output")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"{lang}-{len(os.listdir(out_dir))}.txt"), "w") as f:
        f.write(r.stdout + r.stderr)
    return r


def sandbox_get(stack, path):
    """The WP Engine sandbox's own answer, asked directly with the API key (the truth)."""
    headers = {"Authorization": stack.sandbox.api_key_header()}
    status, _, body = stack.sandbox.request("GET", path, headers=headers)
    assert status == 200, body
    return json.loads(body)


@pytest.fixture(scope="module")
def synced():
    """One logged-in, synced stack shared by the read-only tests of this module."""
    root = tempfile.mkdtemp(prefix="wped-it-", dir="/tmp")
    s = Stack(root)
    try:
        s.login_api_key()
        status, _, doc = s.request_json("POST", "/v1/profiles/default/sync")
        assert status == 200, doc
        yield s
    finally:
        s.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("lang", EXAMPLES)
def test_lists_the_sites_shows_the_first_and_calls_the_api(lang, synced):
    r = run_example(lang, synced)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    lines = r.stdout.splitlines()

    sites = sandbox_get(synced, "/v1/sites?limit=100")["results"]
    assert len(sites) > 1
    assert f"{len(sites)} sites" in r.stdout
    listed = [line for line in lines if line.startswith("  - ")]
    assert listed == [f"  - {s['name']}  {s['id']}" for s in sites]

    first = sites[0]
    assert f'site "{first["name"]}":' in lines
    assert f"  id:       {first['id']}" in lines
    assert f"  account:  {first['account']['id']}" in lines
    for install in first["installs"]:
        assert f"{install['name']} ({install['environment']})" in r.stdout

    user = sandbox_get(synced, "/v1/user")
    assert "through the passthrough, GET /user:" in lines
    assert (f"  {user['first_name']} {user['last_name']} <{user['email']}> (id {user['id']})"
            in lines)

    # No secret in the output (kept under the stack's root), files, argv or environments.
    assert synced.canary_hits() == []


@pytest.mark.parametrize("lang", EXAMPLES)
def test_site_given_by_name_and_socket_by_wped_socket(lang, synced, tmp_path):
    site = sandbox_get(synced, "/v1/sites?limit=100")["results"][-1]
    # WPED_SOCKET wins over XDG_RUNTIME_DIR, which here holds no wped.
    r = run_example(lang, synced, "default", site["name"],
                    env={"WPED_SOCKET": synced.daemon.socket_path,
                         "XDG_RUNTIME_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert f'site "{site["name"]}":' in r.stdout.splitlines()
    assert f"  id:       {site['id']}" in r.stdout.splitlines()


@pytest.mark.parametrize("lang", EXAMPLES)
def test_profile_not_logged_in_is_a_readable_wped_error(lang, synced):
    status, headers, doc = synced.request_json("GET", "/v1/profiles/basic/sites")
    assert status == 401 and headers.get("X-Wped-Error") == "login_required", (status, doc)

    r = run_example(lang, synced, env={"WPE_PROFILE": "basic"})
    assert r.returncode != 0
    assert (f"wped: login_required: {doc['error']['message']} (from wped, HTTP 401)"
            in r.stderr.splitlines()), r.stderr


@pytest.mark.parametrize("lang", EXAMPLES)
def test_an_api_error_through_the_passthrough_is_told_apart(lang, synced):
    message = f"Forbidden for {lang}: missing scope"
    synced.sandbox.fault(path="/v1/user", status=403, body=json.dumps({"message": message}))
    r = run_example(lang, synced)
    assert r.returncode != 0
    assert (f"wped: 403: {message} (from the WP Engine API through the passthrough)"
            in r.stderr.splitlines()), r.stderr


@pytest.mark.parametrize("lang", EXAMPLES)
def test_daemon_down_says_how_to_start_it(lang, stack):
    stack.daemon.stop()
    assert not os.path.exists(stack.daemon.socket_path)
    r = run_example(lang, stack)
    assert r.returncode != 0
    assert NOT_RUNNING in r.stderr.splitlines(), r.stderr

    # A socket file left behind with nobody listening (a crash): the same message.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.bind(stack.daemon.socket_path)
    r = run_example(lang, stack)
    assert r.returncode != 0
    assert NOT_RUNNING in r.stderr.splitlines(), r.stderr
