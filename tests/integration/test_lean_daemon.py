"""wped kept lean (issue 10) without losing a guarantee: list replies sent from the cache's
unnamed reply files keep their exact shape and always match the committed rows (concurrent
syncs, kill -9, restarts), the cache directory gains no file, and the accept loop that no
longer polls still stops at once on SIGTERM, with an idle keep-alive client connected."""

import json
import os
import re
import signal
import socket
import sqlite3
import threading
import time

from harness import wait_for

SITES = 600
REPLY = re.compile(rb'^\{"synced_at":(null|"[^"]+"),"stale":(true|false),"syncing":(true|false),'
                   rb'"last_error":(null|"(?:[^"\\]|\\.)*"),"count":(\d+),"results":\[')


def committed(stack, table="sites"):
    """The list's item JSON texts in the cache file, in order, read by SQLite itself."""
    db = sqlite3.connect(f"file:{stack.cache_db()}?mode=ro", uri=True, timeout=10)
    try:
        return [row[0] for row in db.execute(
            f"SELECT json FROM {table} WHERE profile = 'default' ORDER BY pos")]
    finally:
        db.close()


def get_list(stack, kind="sites"):
    status, headers, body = stack.daemon.request("GET", f"/v1/profiles/default/{kind}")
    assert status == 200, body
    return headers, body.encode() if isinstance(body, str) else body


def sync_until_killed(stack):
    try:
        stack.daemon.request("POST", "/v1/profiles/default/sync", timeout=60)
    except OSError:  # killed under this request (http.client's errors are OSErrors)
        pass


def check_shape(body, rows):
    """The reply is exactly opening + "[" + rows joined by "," + "]" + "}"."""
    m = REPLY.match(body)
    assert m, body[:200]
    assert int(m.group(5)) == len(rows)
    assert body[m.end() - 1:] == ("[" + ",".join(rows) + "]}").encode()
    doc = json.loads(body)
    assert doc["count"] == len(doc["results"])


def test_a_list_reply_is_the_committed_rows_byte_for_byte(make_stack):
    stack = make_stack(sites=SITES)
    stack.login_api_key()
    stack.wait_every_list_synced()
    for kind in ("sites", "installs", "accounts"):
        headers, body = get_list(stack, kind)
        check_shape(body, committed(stack, kind))
        length = {k.lower(): v for k, v in dict(headers).items()}.get("content-length")
        assert length is None or int(length) == len(body)
    # The reply files have no name: the cache directory holds only the database.
    names = os.listdir(os.path.dirname(stack.cache_db()))
    assert all(n.startswith(("cache.db", "audit")) for n in names), names


def test_reads_during_syncs_always_match_a_whole_list(make_stack):
    stack = make_stack(sites=SITES)
    stack.login_api_key()
    stack.wait_every_list_synced()
    account = stack.sandbox.get("/v1/accounts?limit=1",
                                stack.sandbox.api_key_header())[2]["results"][0]["id"]
    stop = threading.Event()
    seen, failures = [], []

    def reader():
        while not stop.is_set():
            try:
                _, body = get_list(stack)
                doc = json.loads(body)
                if doc["count"] != len(doc["results"]):
                    failures.append(f"count {doc['count']} with {len(doc['results'])} results")
                seen.append(doc["count"])
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(repr(e))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(4):
            status, _, created = stack.sandbox.request(
                "POST", "/v1/sites", {"name": f"Lean {i}", "account_id": account},
                {"Authorization": stack.sandbox.api_key_header()})
            assert status == 201, created
            status, _, body = stack.daemon.request("POST", "/v1/profiles/default/sync")
            assert status == 200, body
            # Right after the sync, a read is the new list.
            check_shape(get_list(stack)[1], committed(stack))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not failures, failures[:3]
    assert len(set(seen)) > 1, "the readers saw only one list"


def test_after_kill_9_right_after_a_list_was_written_the_restarted_daemon_serves_it(
        make_stack):
    stack = make_stack(sites=SITES)
    stack.login_api_key()
    stack.wait_every_list_synced()
    account = stack.sandbox.get("/v1/accounts?limit=1",
                                stack.sandbox.api_key_header())[2]["results"][0]["id"]
    for i in range(3):
        status, _, created = stack.sandbox.request(
            "POST", "/v1/sites", {"name": f"Kill {i}", "account_id": account},
            {"Authorization": stack.sandbox.api_key_header()})
        assert status == 201, created
        get_list(stack)  # a reply file of the old list is in use
        marker = f"synced {SITES + i + 1} sites"
        threading.Thread(target=sync_until_killed, args=(stack,), daemon=True).start()
        wait_for(lambda: marker in stack.daemon.log_text(), timeout=60, what=marker)
        stack.daemon.kill()
        stack.daemon.start()
        rows = committed(stack)
        assert len(rows) == SITES + i + 1
        check_shape(get_list(stack)[1], rows)


def test_sigterm_stops_an_idle_daemon_at_once_with_a_client_connected(make_stack):
    stack = make_stack(sites=25)
    stack.login_api_key()
    stack.wait_every_list_synced()
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    idle.connect(stack.daemon.socket_path)  # keep-alive client that sends nothing
    try:
        time.sleep(1.5)  # every thread back asleep
        proc = stack.daemon.proc
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=15)
        took = time.monotonic() - start
    finally:
        idle.close()
    assert rc == 0, stack.daemon.log_text()[-2000:]
    assert took < 1.0, f"{took:.2f} s from SIGTERM to exit"
    assert not os.path.exists(stack.daemon.socket_path)
