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


# --- help -------------------------------------------------------------------------------------

def test_help_for_one_command(stack):
    for args in (("help", "login"), ("login", "--help"), ("--help", "login")):
        r = stack.ctl(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith("usage: wpectl"), r.stdout
        assert "login [--api-key" in r.stdout and "--no-browser" in r.stdout, r.stdout
        assert "sites [--refresh]" not in r.stdout, "only the one command, not the overview"
    r = stack.ctl("sites", "--help")
    assert r.returncode == 0 and "sites [--refresh]" in r.stdout and "login" not in r.stdout
    r = stack.ctl("help")
    assert r.returncode == 0 and "commands:" in r.stdout


def test_help_for_an_unknown_command_is_a_usage_error(stack):
    for args in (("help", "nosuch"), ("nosuch", "--help")):
        r = stack.ctl(*args)
        assert r.returncode == 2, (args, r.returncode)
        assert 'unknown command "nosuch"' in r.stderr and r.stdout == ""


# --- replacing another kind of credential -----------------------------------------------------

def held(stack, profile="default"):
    return dict(stack.profile_status(profile)).get("credential")


def basic_login(stack, *extra, input=None):
    return stack.ctl("login", "--basic", "--user", stack.info["user"], *extra,
                     input=stack.info["password"] + "\n" if input is None else input)


def test_another_kind_needs_replace_when_stdin_is_not_a_terminal(stack):
    stack.login_api_key()
    assert held(stack) == "api_key"
    r = basic_login(stack)
    assert r.returncode == 2, r
    assert "profile default holds an api_key credential" in r.stderr, r.stderr
    assert "--replace" in r.stderr and "nothing was changed" in r.stderr
    assert stack.info["password"] not in r.stderr + r.stdout
    assert held(stack) == "api_key", "a refused login must change nothing"
    assert stack.ctl("token").stdout.strip() == stack.info["api_key"]

    r = basic_login(stack, "--replace")
    assert r.returncode == 0, r.stderr
    assert held(stack) == "basic"
    # The same kind again replaces without asking, as before.
    assert basic_login(stack).returncode == 0
    assert held(stack) == "basic"


def run_on_terminal(stack, args, answers):
    """Runs wpectl on a pseudo-terminal (its controlling terminal), typing each answer after
    the text that precedes it appears. Returns (exit code, everything the terminal showed)."""
    import os
    import pty
    import select
    from harness import WPECTL
    env = stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(WPECTL, [WPECTL, *args], env)
    shown = b""

    def read_some():
        nonlocal shown
        ready, _, _ = select.select([fd], [], [], 20)
        assert ready, f"wpectl showed nothing more for 20 s: {shown!r}"
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        shown += data
        return data

    for expect, answer in answers:
        while expect.encode() not in shown:
            assert read_some(), f"terminal closed before {expect!r}: {shown!r}"
        os.write(fd, answer.encode() + b"\r")
    while read_some():
        pass
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_another_kind_asks_on_a_terminal(stack):
    stack.login_api_key()
    args = ["login", "--basic", "--user", stack.info["user"]]
    question = "profile default holds an api_key credential; replace it with basic? [y/N]"
    code, shown = run_on_terminal(stack, args, [(question, "n")])
    assert code == 1, shown
    assert "not replaced" in shown
    assert held(stack) == "api_key"

    code, shown = run_on_terminal(stack, args, [(question, "y"),
                                                ("password", stack.info["password"])])
    assert code == 0, shown
    assert stack.info["password"] not in shown, "the password prompt must not echo"
    assert held(stack) == "basic"


# --- log lines: journal or not ----------------------------------------------------------------

def journal_log_lines(make_stack, journal_stream_of_log):
    stack = make_stack(start=False)
    env = stack.daemon.journal_stream_env()
    if not journal_stream_of_log:  # a JOURNAL_STREAM inherited from elsewhere: another file
        dev, ino = env["JOURNAL_STREAM"].split(":")
        env = {"JOURNAL_STREAM": f"{dev}:{int(ino) + 1}"}
    stack.daemon.start(env=env)
    stack.status()
    return [line for line in stack.daemon.log_text().splitlines() if line]


def test_log_lines_carry_priorities_only_when_stderr_is_the_journal(make_stack):
    import re
    lines = journal_log_lines(make_stack, True)
    assert lines and all(re.match(r"<[0-7]>", line) for line in lines), lines
    assert any(line.startswith("<6>") for line in lines), lines
    assert not any(re.match(r"<[0-7]>wped: ", line) for line in lines), \
        "journald already names wped; the line must not say it twice"


def test_log_lines_have_no_priorities_when_stderr_is_not_the_journal(make_stack):
    lines = journal_log_lines(make_stack, False)  # inherited JOURNAL_STREAM, other file
    assert lines and all(line.startswith("wped: ") for line in lines), lines
