"""wpectl's manners: help per command, confirmation before replacing another kind of
credential, and a status that is not stale about the credential store after a login."""

from harness import wait_for


def store_state(stack):
    return stack.status()["credential_store"]["state"]


def test_status_says_ready_right_after_a_login_once_the_keyring_is_back(make_stack):
    stack = make_stack(keyring="no_service")
    wait_for(lambda: store_state(stack) == "unavailable", what="the first store probe")
    stack.keyring._start_keyring(unlock=True)  # the user's keyring comes up (and is unlocked)
    stack.login_api_key()
    # No waiting: the login itself proved the store works.
    assert store_state(stack) == "ready", stack.status()["credential_store"]
    r = stack.ctl("status")
    assert r.returncode == 0 and "ready" in r.stdout, r.stdout
