"""The NOTIFY_SOCKET end of sd_notify, as systemd has it: a datagram socket to which wped
sends READY=1, STATUS=…, RELOADING=1, WATCHDOG=1.

    listener = NotifyListener(path)           # then start wped with NOTIFY_SOCKET=path
    wait_for(listener.received("READY=1"), what="READY=1")
    listener.messages                         # every datagram so far, decoded"""

import socket


class NotifyListener:
    def __init__(self, path):
        self.path = path
        self.messages = []
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(path)
        self._socket.settimeout(0.05)

    def received(self, what):
        """A predicate for wait_for: reads at most one datagram (waiting 50 ms), then says
        whether any datagram so far contains `what`."""
        def check():
            try:
                self.messages.append(self._socket.recv(4096).decode())
            except socket.timeout:
                pass
            return any(what in m for m in self.messages)
        return check

    def close(self):
        self._socket.close()
