"""A configuration typo under socket activation (issue 7, item 6): the user must see the
loader's message where the command was typed, wped must stay up (no restart loop that ends in
start-limit-hit), and `wpectl reload` after the fix must bring it into normal operation on the
same socket."""

import json
import os
import signal
import socket
import threading
import time

from harness import wait_for
from harness.daemon import Daemon
from harness.notify import NotifyListener


def _typo(stack):
    config = json.loads(json.dumps(stack.config))
    config["daemon"]["sync_intervall"] = "60"
    stack.daemon.write_config(config)


def _assert_shows_the_typo(r):
    """What the user sees: a failure (not "wped is not reachable") naming the key and the
    next step."""
    assert r.returncode not in (0, 3), f"exit {r.returncode}: {r.stderr}"
    assert "sync_intervall" in r.stderr, r.stderr
    assert "wpectl reload" in r.stderr, r.stderr


def test_typo_under_socket_activation_is_shown_then_fixed_by_reload(make_stack):
    stack = make_stack(start=False)
    _typo(stack)
    stack.daemon.socket_activate()

    _assert_shows_the_typo(stack.ctl("status"))
    assert stack.daemon.proc.poll() is None, "wped exited instead of serving the error"
    _assert_shows_the_typo(stack.ctl("sites"))
    r = stack.ctl("login", "--api-key", input=stack.info["api_key"] + "\n")
    _assert_shows_the_typo(r)
    assert stack.daemon.proc.poll() is None

    # Still broken: reload says why and nothing changes.
    r = stack.ctl("reload")
    _assert_shows_the_typo(r)

    stack.daemon.write_config(stack.config)
    r = stack.ctl("reload")
    assert r.returncode == 0, r.stderr
    doc = stack.status()
    assert doc["socket"] == stack.daemon.socket_path
    stack.login_api_key()
    sites = stack.ctl_json("sites")
    assert sites["count"] == 25
    pid = stack.daemon.proc.pid
    assert json.loads(stack.ctl("status", "--json").stdout)["pid"] == pid  # no restart
    stack.daemon.stop()


def test_config_error_answer_is_marked_and_status_names_the_key(make_stack):
    stack = make_stack(start=False)
    _typo(stack)
    stack.daemon.socket_activate()
    status, headers, body = stack.daemon.request("GET", "/v1/status")
    assert status == 503
    assert headers.get("X-Wped-Error") == "config_error"
    error = json.loads(body)["error"]
    assert error["code"] == "config_error"
    assert "sync_intervall" in error["message"] and stack.daemon.config_path in error["message"]
    status, _, body = stack.daemon.request("GET", "/v1/ping")
    assert status == 200
    stack.daemon.stop()


def test_sigterm_in_config_error_mode_stops_promptly(make_stack):
    stack = make_stack(start=False)
    _typo(stack)
    stack.daemon.socket_activate()
    assert "sync_intervall" in stack.ctl("status").stderr
    started = time.monotonic()
    stack.daemon.stop()  # asserts exit 0
    assert time.monotonic() - started < 3.0


def test_a_connection_closed_before_any_answer_points_at_the_journal():
    with Daemon() as daemon:
        _closed_before_answering(daemon)


def _closed_before_answering(daemon):
    os.makedirs(os.path.dirname(daemon.socket_path), mode=0o700, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(daemon.socket_path)
    listener.listen(4)

    def close_without_answering():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        conn.close()  # linger 0: a reset, as when wped dies reading its config

    t = threading.Thread(target=close_without_answering)
    t.start()
    try:
        r = daemon.ctl("status")
    finally:
        t.join(timeout=10)
        listener.close()
    assert r.returncode != 0
    assert "journalctl --user -u wped" in r.stderr, r.stderr


def test_systemd_sees_the_error_and_sighup_after_the_fix_starts_normally(make_stack):
    stack = make_stack(start=False)
    _typo(stack)
    notify_path = os.path.join(stack.root, "notify.sock")
    listener = NotifyListener(notify_path)
    messages, received = listener.messages, listener.received

    try:
        stack.daemon.socket_activate(env={"NOTIFY_SOCKET": notify_path,
                                          "WATCHDOG_USEC": "200000"})
        _assert_shows_the_typo(stack.ctl("status"))
        wait_for(received("READY=1"), what="READY=1")
        ready = [m for m in messages if "READY=1" in m]
        assert "STATUS=configuration error: " in ready[0] and "sync_intervall" in ready[0]
        wait_for(received("WATCHDOG=1"), what="WATCHDOG=1 while in configuration error")
        messages.clear()

        stack.daemon.write_config(stack.config)
        stack.daemon.proc.send_signal(signal.SIGHUP)  # `systemctl --user reload wped`
        wait_for(received("STATUS=serving on"), what="READY=1 with the normal status")
        assert stack.status()["socket"] == stack.daemon.socket_path
        stack.daemon.stop()
    finally:
        listener.close()


def test_a_failed_wpectl_reload_updates_systemd_status_and_the_journal(make_stack):
    """`wpectl reload` (POST /v1/reload) with the file still broken — differently now — must
    tell systemd and the journal what `systemctl --user reload` (SIGHUP) would: the new message
    as STATUS=configuration error: …, logged once at error level."""
    stack = make_stack(start=False)
    _typo(stack)
    notify_path = os.path.join(stack.root, "notify.sock")
    listener = NotifyListener(notify_path)
    messages, received = listener.messages, listener.received

    try:
        stack.daemon.socket_activate(env={"NOTIFY_SOCKET": notify_path,
                                          **stack.daemon.journal_stream_env()})
        _assert_shows_the_typo(stack.ctl("status"))  # the first connection starts wped
        wait_for(received("READY=1"), what="READY=1 with the first error")
        messages.clear()

        config = json.loads(json.dumps(stack.config))
        config["daemon"]["log_levle"] = "info"  # another typo: the first one fixed, this one new
        stack.daemon.write_config(config)
        r = stack.ctl("reload")
        assert r.returncode not in (0, 3), r.stderr
        assert "log_levle" in r.stderr, r.stderr

        wait_for(received("STATUS=configuration error: "), what="the new STATUS after the reload")
        status = [m for m in messages if "STATUS=configuration error: " in m]
        assert "log_levle" in status[-1] and "sync_intervall" not in status[-1], status
        wait_for(lambda: "log_levle" in stack.daemon.log_text(), what="the new error logged")
        logged = [line for line in stack.daemon.log_text().splitlines() if "log_levle" in line]
        assert len(logged) == 1 and logged[0].startswith("<3>"), logged
        stack.daemon.stop()
    finally:
        listener.close()
