"""`wpectl token --format header|bearer|env|json` against the real wped, keyring and sandbox,
and the old --header/--json spellings kept as aliases."""

import hashlib
import json
import os
import subprocess
import sys

from conftest import HOLDS_CANARY
from harness import WPECTL

NAMES = ["WPE_API_USER_ID", "WPE_API_PASSWORD", "WP_ENGINE_API_USERNAME",
         "WP_ENGINE_API_PASSWORD", "WPENGINE_USERNAME", "WPENGINE_PASSWORD",
         "WPENGINE_API_TOKEN", "WPE_API_TOKEN", "WPE_API_URL", "WPED_SOCKET", "WPE_PROFILE"]


def h(value):
    return hashlib.sha256(value.encode()).hexdigest()


def test_each_format_and_the_aliases(stack):
    stack.login_api_key()
    key = stack.info["api_key"]
    for args, expected in ((["--format", "bearer"], key), ([], key),
                           (["--format", "header"], "ApiKey " + key),
                           (["--header"], "ApiKey " + key),
                           (["--format=header", "--header"], "ApiKey " + key)):
        r = stack.ctl("token", *args)
        assert r.returncode == 0 and r.stdout == expected + "\n", args
    for args in (["--format", "json"], ["--json"], ["--json", "--format", "json"]):
        r = stack.ctl("token", *args)
        assert r.returncode == 0, args
        doc = json.loads(r.stdout)
        assert doc["access_token"] == key and doc["token_type"] == "ApiKey", args
        assert doc["api_url"] == stack.info["api_url"]


def test_conflicting_or_unknown_formats_are_usage_errors(stack):
    stack.login_api_key()
    for args in (["--format", "env", "--header"], ["--format", "bearer", "--json"],
                 ["--format", "yaml"]):
        r = stack.ctl("token", *args)
        assert r.returncode == 2 and r.stdout == "", args
        assert "--format" in r.stderr, args


def eval_env(stack, profile):
    """Runs `eval "$(wpectl token --format env)"` in bash, as a user would; returns
    {name: sha256(value)} of what the shell then has."""
    report = ("import hashlib, json, os\n"
              f"print(json.dumps({{n: hashlib.sha256(os.environ[n].encode()).hexdigest() "
              f"for n in {NAMES!r} if n in os.environ}}))")
    env = stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path,
                           PATH=os.path.dirname(WPECTL) + ":" + os.environ.get("PATH", ""))
    script = (f'eval "$(wpectl --profile {profile} token --format env)" || exit 9\n'
              f'exec {sys.executable} -c "$REPORT"\n')
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                       env={**env, "REPORT": report, HOLDS_CANARY: "1"}, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_format_env_evals_to_the_exec_names(stack):
    stack.login_api_key()
    key = h(stack.info["api_key"])
    plain = {"WPE_API_URL": h(stack.info["api_url"]), "WPED_SOCKET": h(stack.daemon.socket_path)}
    assert eval_env(stack, "default") == {"WPENGINE_API_TOKEN": key, "WPE_API_TOKEN": key,
                                          "WPE_PROFILE": h("default"), **plain}

    status, _, body = stack.request_json(
        "POST", "/v1/profiles/basic/login",
        json.dumps({"method": "basic", "user": stack.info["user"],
                    "password": stack.info["password"]}))
    assert status == 200, body
    user, password = h(stack.info["user"]), h(stack.info["password"])
    assert eval_env(stack, "basic") == {
        "WPE_API_USER_ID": user, "WPE_API_PASSWORD": password, "WP_ENGINE_API_USERNAME": user,
        "WP_ENGINE_API_PASSWORD": password, "WPENGINE_USERNAME": user,
        "WPENGINE_PASSWORD": password, "WPE_PROFILE": h("basic"), **plain}


def test_format_env_quotes_for_sh(stack):
    # The sandbox's secrets are plain; one with ' and $ comes from a reply a test controls:
    # a socket path chosen with them, the one non-secret value here that a user picks.
    stack.login_api_key()
    odd = os.path.join(stack.root, "it's $HOME")
    os.symlink(stack.daemon.socket_path, odd)
    r = stack.ctl("--socket", odd, "token", "--format", "env")
    assert r.returncode == 0, r.stderr
    assert "export WPED_SOCKET='" + odd.replace("'", "'\\''") + "'\n" in r.stdout
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                        'eval "$WPECTL_OUT"; printf %s "$WPED_SOCKET"'],
                       env={"WPECTL_OUT": r.stdout, "PATH": "/usr/bin:/bin", HOLDS_CANARY: "1"},
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == odd
