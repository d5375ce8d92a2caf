"""A cold start by socket activation with a stored credential: the first request arrives
before wped has read the credential from the keyring (issue 7, item 5). It must get the real
answer, never "not logged in"."""

import json

ROUNDS = 5


def _restart_activated(stack):
    stack.daemon.stop()
    stack.daemon.socket_activate()


def test_first_refresh_after_an_activated_start_succeeds(stack):
    stack.login_api_key()
    for round_ in range(ROUNDS):
        _restart_activated(stack)
        r = stack.ctl("sites", "--refresh", "--json")
        assert r.returncode == 0, f"round {round_}: exit {r.returncode}: {r.stderr}"
        doc = json.loads(r.stdout)
        assert doc["count"] == 25 and doc["last_error"] is None
        assert "socket from systemd" in stack.daemon.log_text()


def test_first_token_and_cached_list_after_an_activated_start(stack):
    stack.login_api_key()
    assert stack.ctl("sites", "--refresh").returncode == 0
    for round_ in range(ROUNDS):
        _restart_activated(stack)
        r = stack.ctl("token")
        assert r.returncode == 0, f"round {round_}: token: exit {r.returncode}: {r.stderr}"
        _restart_activated(stack)
        r = stack.ctl("sites")
        assert r.returncode == 0, f"round {round_}: sites: exit {r.returncode}: {r.stderr}"
        assert "not logged in" not in r.stderr
        _restart_activated(stack)
        status, _headers, doc = stack.request_json("POST", "/v1/profiles/default/sync")
        assert status == 200, f"round {round_}: sync: {status} {doc}"
        _restart_activated(stack)
        r = stack.ctl("api", "sites")
        assert r.returncode == 0, f"round {round_}: api: exit {r.returncode}: {r.stderr}"
        r = stack.ctl("sites")
        assert r.returncode == 0 and "not logged in" not in r.stderr, r.stderr
