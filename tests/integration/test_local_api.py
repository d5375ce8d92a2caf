"""The local API end to end: the real wped on its Unix socket, driven by the real wpectl,
http.client and raw sockets (docs/security.md rules 1, 2, 11, 12; docs/interface.md "Local API")."""

import json
import os
import shutil
import socket
import stat
import subprocess
import time

import pytest

from harness import WPED, WPECTL, wait_for
from harness.daemon import Daemon
from harness.notify import NotifyListener


@pytest.fixture
def daemon():
    d = Daemon()
    yield d
    d.cleanup()


@pytest.fixture
def running(daemon):
    daemon.start()
    yield daemon
    if daemon.proc.poll() is None:
        daemon.stop()


def test_status_round_trip_with_json(running):
    r = running.ctl("status", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)  # exactly one JSON document
    assert doc["pid"] == running.proc.pid
    assert doc["socket"] == running.socket_path
    assert doc["config"] == ""
    assert doc["credential_store"]["state"]
    assert [p["name"] for p in doc["profiles"]] == ["default"]
    human = running.ctl("status")
    assert human.returncode == 0
    assert f"(pid {running.proc.pid})" in human.stdout
    assert "default (api_key)" in human.stdout
    assert "credential store:" in human.stdout


def test_profiles_endpoints(daemon):
    daemon.write_config({"profile.work": {"auth": "basic", "user": "u-1"},
                         "profile.oa": {"auth": "oauth", "client_id": "cid"}})
    daemon.start()
    status, _, body = daemon.request("GET", "/v1/profiles")
    assert status == 200
    names = [p["name"] for p in json.loads(body)["profiles"]]
    assert names == ["default", "oa", "work"]
    status, _, body = daemon.request("GET", "/v1/profiles/work")
    assert status == 200 and json.loads(body)["user"] == "u-1"
    status, _, body = daemon.request("GET", "/v1/profiles/nope")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    for bad in ("/v1/profiles/..", "/v1/profiles/%2e%2e", "/v1/profiles/a%2Fb", "/v1/profiles/a%01b"):
        status, _, body = daemon.request("GET", bad)
        assert status == 400, bad
        assert json.loads(body)["error"]["code"] == "bad_request"
    status, headers, _ = daemon.request("DELETE", "/v1/status")
    assert status == 405 and headers["Allow"] == "GET"
    r = daemon.ctl("profiles", "--json")
    assert r.returncode == 0 and len(json.loads(r.stdout)["profiles"]) == 3
    daemon.stop()


def test_keep_alive_serves_many_requests_on_one_connection(running):
    conn = running.connection()
    for _ in range(200):
        conn.request("GET", "/v1/ping")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b'{"ok":true}'
    conn.close()


def test_second_instance_refused_first_keeps_serving(running):
    second = Daemon(root=running.root)
    second.log_path = os.path.join(running.root, "second.log")
    rc = second.run_to_exit()
    assert rc == 69  # EX_UNAVAILABLE
    assert f"wped is already running on {running.socket_path}" in second.log_text()
    assert os.path.exists(running.socket_path)
    assert running.ctl("status").returncode == 0


def test_stale_socket_is_replaced(daemon):
    os.makedirs(os.path.dirname(daemon.socket_path), mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(daemon.socket_path)
    stale.close()  # the file stays; nobody listens
    assert os.path.exists(daemon.socket_path)
    daemon.start()
    assert daemon.ctl("status").returncode == 0
    daemon.stop()


def test_socket_0600_and_directory_0700(running):
    assert stat.S_IMODE(os.lstat(running.socket_path).st_mode) == 0o600
    assert stat.S_ISSOCK(os.lstat(running.socket_path).st_mode)
    assert stat.S_IMODE(os.lstat(os.path.dirname(running.socket_path)).st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_other_uid_is_served_nothing(running):
    os.chmod(running.socket_path, 0o666)
    for d in (running.root, running.runtime_dir, os.path.dirname(running.socket_path)):
        os.chmod(d, 0o711)
    probe = ("import socket,sys\n"
             "s=socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])\n"
             "try: s.sendall(b'GET /v1/status HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n"
             "except (BrokenPipeError, ConnectionResetError): pass  # closed first\n"
             "d=b''\n"
             "while True:\n"
             "  try: c=s.recv(4096)\n"
             "  except ConnectionResetError: break\n"
             "  if not c: break\n"
             "  d+=c\n"
             "print(len(d))\n")
    for _ in range(2):
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "/usr/bin/python3", "-c", probe, running.socket_path],
                           capture_output=True, text=True, timeout=20)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "0"  # connection closed without a byte
    wait_for(lambda: "refused a connection from uid 65534" in running.log_text(), what="refusal log")
    assert running.log_text().count("uid 65534") == 1  # logged once per uid
    assert running.ctl("status").returncode == 0


@pytest.mark.parametrize("kind", ["open", "symlink"])
def test_unsafe_socket_directory_refused(daemon, kind):
    sock_dir = os.path.dirname(daemon.socket_path)
    if kind == "open":
        os.makedirs(sock_dir)
        os.chmod(sock_dir, 0o777)
    else:
        target = os.path.join(daemon.root, "elsewhere")
        os.makedirs(target, mode=0o700)
        os.symlink(target, sock_dir)
    rc = daemon.run_to_exit()
    assert rc == 77  # EX_NOPERM
    log = daemon.log_text()
    assert sock_dir in log and "refusing" in log
    assert not os.path.exists(daemon.socket_path)


def test_oversized_body_413_before_reading_it(running):
    answer = running.raw(b"POST /v1/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"code":"payload_too_large"' in answer
    assert running.ctl("status").returncode == 0


def test_header_flood_431_and_long_line_414(running):
    flood = b"GET /v1/status HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\n"
    assert running.raw(flood).startswith(b"HTTP/1.1 431 ")
    huge = b"GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
    assert running.raw(huge).startswith(b"HTTP/1.1 431 ")
    long_line = b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert running.raw(long_line).startswith(b"HTTP/1.1 414 ")
    assert running.ctl("status").returncode == 0


def test_transfer_encoding_with_content_length_400(running):
    answer = running.raw(b"POST /v1/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Length: 5\r\n\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Transfer-Encoding together with Content-Length" in answer
    assert running.raw(b"GARBAGE\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_sd_notify_protocol(daemon):
    notify_path = os.path.join(daemon.root, "notify.sock")
    listener = NotifyListener(notify_path)
    messages, received = listener.messages, listener.received

    try:
        daemon.start(env={"NOTIFY_SOCKET": notify_path, "WATCHDOG_USEC": "200000"})
        wait_for(received("READY=1"), what="READY=1")
        assert any("READY=1" in m and "STATUS=serving on" in m for m in messages)
        messages.clear()
        wait_for(received("WATCHDOG=1"), what="first WATCHDOG=1")
        messages.clear()
        wait_for(received("WATCHDOG=1"), what="second WATCHDOG=1")
        messages.clear()
        assert daemon.ctl("reload").returncode == 0
        wait_for(received("READY=1"), what="READY=1 after reload")
        assert any("RELOADING=1" in m for m in messages)
        messages.clear()
        daemon.stop()
        wait_for(received("STOPPING=1"), what="STOPPING=1")
    finally:
        listener.close()


def _activation_listener(path):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    os.chmod(path, 0o600)
    s.listen(16)
    return s


# A small exec wrapper: moves the socket to fd 3, sets LISTEN_PID to its own pid (which exec
# keeps) and LISTEN_FDS, then becomes wped, as systemd does.
_WRAPPER = ("import os, sys\n"
            "fd = int(sys.argv[1])\n"
            "if fd != 3:\n"
            "    os.dup2(fd, 3)\n"
            "    os.close(fd)\n"
            "pid = sys.argv[2].replace('self', str(os.getpid()))\n"
            "os.environ.update(LISTEN_PID=pid, LISTEN_FDS=sys.argv[3])\n"
            "os.execv(sys.argv[4], sys.argv[4:])\n")


def _activated(daemon, fd, pid="self", fds="1"):
    return ["/usr/bin/python3", "-c", _WRAPPER, str(fd), pid, fds, WPED]


def test_socket_activation(daemon):
    listener = _activation_listener(daemon.socket_path)
    try:
        fd = listener.fileno()
        daemon.start(argv=_activated(daemon, fd), pass_fds=(fd,))
        assert "socket from systemd" in daemon.log_text()
        doc = json.loads(daemon.ctl("status", "--json").stdout)
        assert doc["socket"] == daemon.socket_path
        daemon.stop()
        assert os.path.exists(daemon.socket_path)  # systemd's socket is never unlinked
    finally:
        listener.close()


@pytest.mark.parametrize("pid,fds,expected", [
    ("1", "1", "LISTEN_PID=1 is not our pid"),
    ("self", "2", "LISTEN_FDS=2"),
])
def test_socket_activation_wrong_environment_is_a_clear_error(daemon, pid, fds, expected):
    listener = _activation_listener(daemon.socket_path)
    try:
        fd = listener.fileno()
        rc = daemon.run_to_exit(argv=_activated(daemon, fd, pid, fds), pass_fds=(fd,))
        assert rc != 0
        assert expected in daemon.log_text()
    finally:
        listener.close()


def test_socket_activation_with_a_non_socket_fd(daemon):
    r, w = os.pipe()
    try:
        rc = daemon.run_to_exit(argv=_activated(daemon, r), pass_fds=(r,))
        assert rc != 0
        assert "not a listening Unix stream socket" in daemon.log_text()
    finally:
        os.close(r)
        os.close(w)


def test_sigterm_removes_the_socket(running):
    assert os.path.exists(running.socket_path)
    idle = running.connection()  # a kept-alive connection must not delay the stop
    idle.request("GET", "/v1/ping")
    idle.getresponse().read()
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 3.0
    idle.close()
    assert not os.path.exists(running.socket_path)
    assert "stopped" in running.log_text()


def test_shutdown_endpoint_stops_cleanly(running):
    r = running.ctl("shutdown")
    assert r.returncode == 0, r.stderr
    assert running.proc.wait(timeout=10) == 0
    assert not os.path.exists(running.socket_path)


def test_bad_config_exits_78_naming_file_and_key(daemon):
    daemon.write_config({"daemon": {"sync_interval": "5"}})
    assert daemon.run_to_exit() == 78
    log = daemon.log_text()
    assert daemon.config_path in log and "sync_interval" in log and '"5"' in log


def test_unknown_key_exits_78(daemon):
    daemon.write_config({"profile.default": {"api_kee": "x"}})
    assert daemon.run_to_exit() == 78
    assert "api_kee" in daemon.log_text()


def test_reload_with_bad_config_keeps_the_old_one(daemon):
    daemon.write_config({"profile.a": {"auth": "api_key"}})
    daemon.start()
    daemon.write_config({"profile.a": {"auth": "nonsense"}})
    r = daemon.ctl("reload")
    assert r.returncode != 0
    assert r.stderr.startswith("wpectl: ") and "nonsense" in r.stderr
    status, _, body = daemon.request("POST", "/v1/reload")
    assert status == 400 and "auth" in json.loads(body)["error"]["message"]
    assert daemon.request("GET", "/v1/profiles/a")[0] == 200
    daemon.write_config({"profile.b": {}})
    assert daemon.ctl("reload").returncode == 0
    assert daemon.request("GET", "/v1/profiles/a")[0] == 404
    assert daemon.request("GET", "/v1/profiles/b")[0] == 200
    daemon.stop()


def test_no_runtime_dir_is_a_clear_error(daemon):
    rc = daemon.run_to_exit(env={"XDG_RUNTIME_DIR": None})
    assert rc != 0
    assert "XDG_RUNTIME_DIR" in daemon.log_text()
    assert not os.path.exists("/tmp/wped")


def test_slow_drip_connections_do_not_starve_a_normal_client(running):
    drips = []
    try:
        for _ in range(200):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(running.socket_path)
            s.sendall(b"GET /v1/status HTTP/1.1\r\nHo")
            drips.append(s)
        # Timed from the socket, not through wpectl: what is measured is wped's answer, not
        # a client's start (seconds for an ASan wpectl on a busy machine). Starved, the
        # answer would wait for the drips' 10 s header deadline.
        started = time.monotonic()
        answer = running.raw(b"GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        elapsed = time.monotonic() - started
        print(f"status with 200 slow-drip connections open: {elapsed * 1000:.1f} ms")
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
        assert elapsed < 5.0
        r = running.ctl("status")
        assert r.returncode == 0, r.stderr
    finally:
        for s in drips:
            s.close()
    assert running.ctl("status").returncode == 0


def test_wpectl_without_daemon_exits_3_with_hint(daemon):
    r = daemon.ctl("status")
    assert r.returncode == 3
    assert r.stderr.startswith("wpectl: ")
    assert "systemctl --user start wped.socket" in r.stderr and "`wped`" in r.stderr
    assert r.stderr.count("\n") == 1


def test_wpectl_usage_errors_exit_2(daemon):
    assert daemon.ctl("frobnicate").returncode == 2
    assert daemon.ctl("status", "--profile", "../x").returncode == 2
    assert daemon.ctl("status", "--bogus").returncode == 2
    assert daemon.ctl().returncode == 2
    v = daemon.ctl("--version")
    assert v.returncode == 0 and v.stdout.startswith("wpectl ")
    assert "bash" in daemon.ctl("completion", "bash").stdout
    assert "#compdef wpectl" in daemon.ctl("completion", "zsh").stdout


def test_wped_version_and_help():
    v = subprocess.run([WPED, "--version"], capture_output=True, text=True, timeout=10)
    assert v.returncode == 0 and v.stdout.startswith("wped ")
    h = subprocess.run([WPED, "--help"], capture_output=True, text=True, timeout=10)
    assert h.returncode == 0 and "--socket" in h.stdout and "--config" in h.stdout


def test_log_lines_to_a_file_are_whole_lines_without_priorities(running):
    # A file is not the journal (test_cli_manners covers JOURNAL_STREAM): no "<N>", the name
    # kept, and a hostile path cannot start a line of its own.
    running.request("GET", "/v1/profiles/x%0a%1b[31m")
    lines = [l for l in running.log_text().splitlines() if l]
    assert lines and all(l.startswith("wped: ") for l in lines), lines


def test_slow_headers_get_408_and_the_connection_closes(running):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(running.socket_path)
    started = time.monotonic()
    s.sendall(b"GET /v1/status HTTP/1.1\r\nHost: x\r\n")  # never finished
    answer = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        answer += chunk
    s.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 5 < time.monotonic() - started < 25  # the 10 s header deadline


def test_a_client_that_never_reads_is_dropped(running):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect(running.socket_path)
    request = b"GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"
    sent = 0
    deadline = time.monotonic() + 5
    while sent < 20000 and time.monotonic() < deadline:  # pipelined, answers never read
        try:
            s.send(request)
            sent += 1
        except BlockingIOError:
            break
    assert running.ctl("status").returncode == 0  # others are served meanwhile
    wait_for(lambda: "dropping a client that does not read" in running.log_text(), timeout=30,
             what="the stuck client to be dropped")
    s.close()
    assert running.ctl("status").returncode == 0


def test_connections_beyond_the_cap_get_503(running):
    held = []
    try:
        for _ in range(330):  # the cap is 320 concurrent connections
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(running.socket_path)
            s.sendall(b"GET /v1/status HTTP/1.1\r\n")
            held.append(s)
        # A held connection is counted once its thread runs it; on a busy machine the newcomer
        # can overtake some of them, so ask until the cap is reached (it must be, at once or
        # within the wait).
        answers = []

        def refused():
            answers.append(running.raw(b"GET /v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            return answers[-1].startswith(b"HTTP/1.1 503 ")
        wait_for(refused, what="a 503 beyond the connection cap", interval=0.2)
        assert b'"code":"unavailable"' in answers[-1]
    finally:
        for s in held:
            s.close()
    wait_for(lambda: running.ctl("status").returncode == 0, what="service after the flood")


def test_socket_override_for_daemon_and_cli(daemon):
    custom = os.path.join(daemon.root, "alt", "my.sock")
    daemon.socket_path = custom  # ctl() passes WPED_SOCKET=custom
    daemon.start(args=["--socket", custom])
    assert stat.S_IMODE(os.lstat(os.path.dirname(custom)).st_mode) == 0o700
    doc = json.loads(daemon.ctl("status", "--json").stdout)
    assert doc["socket"] == custom
    via_flag = subprocess.run([WPECTL, "--socket", custom, "status"], env=daemon.env(),
                              capture_output=True, text=True, timeout=10)
    assert via_flag.returncode == 0
    daemon.stop()
    assert not os.path.exists(custom)


def test_plain_http_loopback_endpoint_is_warned(daemon):
    daemon.write_config({"profile.default": {"api_url": "http://127.0.0.1:9/v1"}})
    daemon.start()
    assert "wped: " in daemon.log_text() and "plain http://" in daemon.log_text()
    daemon.stop()
