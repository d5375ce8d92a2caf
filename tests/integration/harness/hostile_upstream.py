"""A loopback TCP server that stands between wped and an upstream and misbehaves on demand
(stdlib only): it never answers, drips the answer one byte every few seconds, or stalls a TLS
handshake — what a broken proxy or a hostile server does to a client.

    with HostileUpstream(backend=("127.0.0.1", sandbox_port)) as h:
        api_url = h.url_for(sandbox.api_url)   # the same URL on the proxy's port
        h.mode = "drip"                        # "forward" | "stall" | "drip"
        wait_for(lambda: h.holding() > 0)      # wped is now waiting on us

With a backend the bytes are forwarded as they are, so TLS passes through end to end (the
sandbox's certificate is for 127.0.0.1: any port on that address verifies). Without one,
every request on the connection is answered with `response` (plain HTTP, for http:// URLs).

Modes (read for every chunk, so connections already open — wped's pooled ones — follow):
  forward  bytes pass both ways at once
  stall    what the client sends is read (and forwarded); nothing comes back: no answer,
           no TLS ServerHello
  drip     what comes back is sent one byte every `drip_interval` seconds
holding() counts the connections that hold back bytes right now (stalled or dripping);
connections() counts every connection accepted so far; open_connections() those not yet torn
down on both sides. A test that switches to stall after stopping wped waits for
open_connections() == 0 first: the backend's late bytes on a connection of the old wped (its
TLS close_notify) are otherwise held for a moment too, and holding() > 0 would not mean that
the new wped is stuck."""

import socket
import threading
import urllib.parse

CANNED = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")


class HostileUpstream:
    def __init__(self, backend=None, mode="forward", drip_interval=5.0, response=CANNED):
        self.backend = backend
        self.mode = mode
        self.drip_interval = drip_interval
        self.response = response
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._holding = 0
        self._accepted = 0
        self._open = 0
        self._sockets = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    # -- what tests use ----------------------------------------------------------------------
    def url_for(self, url):
        """`url` with its port replaced by this server's (a loopback host name, the scheme, the
        path and the query kept: a certificate for the host still verifies)."""
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname if parts.hostname in ("127.0.0.1", "localhost") else "127.0.0.1"
        return urllib.parse.urlunsplit(parts._replace(netloc=f"{host}:{self.port}"))

    def holding(self):
        with self._lock:
            return self._holding

    def connections(self):
        with self._lock:
            return self._accepted

    def open_connections(self):
        with self._lock:
            return self._open

    def close(self):
        self._stop.set()
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- internals ---------------------------------------------------------------------------
    def _track(self, s):
        with self._lock:
            self._sockets.append(s)

    def _accept_loop(self):
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._accepted += 1
                self._open += 1
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        try:
            self._serve_one(client)
        finally:
            with self._lock:
                self._open -= 1

    def _serve_one(self, client):
        if self.backend is None:
            self._answer_locally(client)
            return
        try:
            upstream = socket.create_connection(self.backend, timeout=10)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        self._track(upstream)
        pump_up = threading.Thread(target=self._pump_up, args=(client, upstream), daemon=True)
        pump_up.start()
        self._pump_down(upstream, client)
        pump_up.join()  # both directions done: the connection is gone

    def _pump_up(self, client, upstream):
        """Client → backend, always as it comes."""
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                upstream.sendall(data)
        except OSError:
            pass
        self._close(upstream)

    def _pump_down(self, upstream, client):
        """Backend → client, as the mode says."""
        try:
            while not self._stop.is_set():
                data = upstream.recv(65536)
                if not data:
                    break
                if not self._send(client, data):
                    break
        except OSError:
            pass
        self._close(client)
        self._close(upstream)

    def _answer_locally(self, client):
        buffer = b""
        try:
            while not self._stop.is_set():
                data = client.recv(65536)
                if not data:
                    break
                buffer += data
                while b"\r\n\r\n" in buffer:
                    _, buffer = buffer.split(b"\r\n\r\n", 1)
                    if not self._send(client, self.response):
                        return
        except OSError:
            pass
        self._close(client)

    def _send(self, client, data):
        """Sends `data` the way the current mode says; False once the client is gone or the
        server closes."""
        held = False
        try:
            i = 0
            while i < len(data):
                mode = self.mode
                if mode == "forward":
                    client.sendall(data[i:])
                    return True
                if not held:
                    held = True
                    with self._lock:
                        self._holding += 1
                if mode == "stall":
                    if self._stop.wait(0.05) or self._peer_closed(client):
                        return False
                    continue
                client.sendall(data[i:i + 1])  # drip
                i += 1
                if self._stop.wait(self.drip_interval) or self._peer_closed(client):
                    return False
            return True
        except OSError:
            return False
        finally:
            if held:
                with self._lock:
                    self._holding -= 1

    @staticmethod
    def _peer_closed(s):
        """True when the client hung up (readable with nothing to read). MSG_DONTWAIT, not a
        non-blocking socket: the other pump may be in a blocking recv on it."""
        try:
            return s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    @staticmethod
    def _close(s):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass
