"""The NOTIFY_SOCKET end of sd_notify, as systemd has it: a datagram socket to which wped
sends READY=1, STATUS=…, RELOADING=1, WATCHDOG=1, STOPPING=1.

    listener = NotifyListener(path)           # then start wped with NOTIFY_SOCKET=path
    wait_for(listener.received("READY=1"), what="READY=1")
    listener.messages                         # every datagram since the last clear(), decoded

A thread reads every datagram as it arrives, as systemd does. sd_notify's sendmsg blocks when
the socket's queue is full, so a listener that read only while a test waited would let the
queue fill with WATCHDOG=1 (every 100 ms at WATCHDOG_USEC=200000) and hang wped in its next
sd_notify, STOPPING=1 included: a hang of the test's making, not wped's."""

import socket
import threading


class NotifyListener:
    def __init__(self, path):
        self.path = path
        self.messages = []  # appended by the reader thread; a test may clear() it
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(path)
        self._socket.settimeout(0.05)
        self._closing = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while not self._closing.is_set():
            try:
                self.messages.append(self._socket.recv(4096).decode())
            except socket.timeout:
                continue
            except OSError:
                return

    def received(self, what):
        """A predicate for wait_for: whether any datagram kept so far contains `what`."""
        def check():
            return any(what in m for m in list(self.messages))
        return check

    def close(self):
        self._closing.set()
        self._reader.join(timeout=5)
        self._socket.close()
